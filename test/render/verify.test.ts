import type {NodeFile} from '../../src/model/node-files.js';
import {expect} from 'chai';
import {buildReport, compareNode, compareRenderedMc, nodeCaManagedDirs, poolOfNode, type PoolInput} from '../../src/render/verify.js';

const pool = (name: string, sel: Record<string, string>, extra: Partial<PoolInput> = {}): PoolInput => ({name, nodeSelector: sel, degraded: false, updating: false, generatedMcName: `99-${name}-generated-registries`, ...extra});
const expected: NodeFile[] = [
  {path: '/etc/containers/registries.conf', content: 'a = 1\n', origin: 'machineconfig', changed: true},
  {path: '/etc/containers/policy.json', content: '{}', origin: 'template', changed: false},
];
const read = (files: Record<string, string>, unreadable: string[] = []) => ({ok: true as const, files: new Map(Object.entries(files)), unreadable, hashes: new Map<string, string>()});

describe('verify report (pure)', () => {
  it('assigns a node to its custom pool before worker, else by the rendered config name', () => {
    const pools = [pool('worker', {'node-role.kubernetes.io/worker': ''}), pool('infra', {'node-role.kubernetes.io/infra': ''})];
    expect(poolOfNode({name: 'n', labels: {'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': ''}}, pools)!.name).to.equal('infra');
    expect(poolOfNode({name: 'n', labels: {'node-role.kubernetes.io/worker': ''}}, pools)!.name).to.equal('worker');
    expect(poolOfNode({name: 'n', labels: {}, desiredConfig: 'rendered-infra-0a1b2c'}, pools)!.name).to.equal('infra');
    expect(poolOfNode({name: 'n', labels: {}}, pools)).to.equal(undefined);
  });

  it('node-ca directories follow the internal registry hostname', () => {
    expect(nodeCaManagedDirs()).to.deep.equal(['image-registry.openshift-image-registry.svc:5000', 'image-registry.openshift-image-registry.svc.cluster.local:5000']);
    expect(nodeCaManagedDirs('registry.internal:443')).to.deep.equal(['registry.internal:443']);
  });

  it('an extra drop-in or CA on a node is drift; an unreadable file is not', () => {
    const n = compareNode({name: 'w', labels: {}}, undefined, expected, read({'/etc/containers/registries.conf': 'a = 1\n', '/etc/containers/policy.json': '{}', '/etc/containers/registries.conf.d/99-mine.conf': 'x = 1\n', '/etc/docker/certs.d/evil:443/ca.crt': '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n'}));
    expect(n.state).to.equal('differs');
    expect(n.files.filter((f) => f.state === 'extra').map((f) => f.path)).to.deep.equal(['/etc/containers/registries.conf.d/99-mine.conf', '/etc/docker/certs.d/evil:443/ca.crt']);
    const u = compareNode({name: 'w', labels: {}}, undefined, expected, read({'/etc/containers/registries.conf': 'a = 1\n'}, ['/etc/containers/policy.json']));
    expect(u.state).to.equal('unreadable');
    expect(u.files.find((f) => f.path === '/etc/containers/policy.json')).to.include({state: 'unreadable', drift: false});
  });

  it('a pool whose current rendered config lacks the files but whose target has them is rolling out, not drift', () => {
    const good = [{path: '/etc/containers/registries.conf', content: 'a = 1\n'}, {path: '/etc/containers/policy.json', content: '{}'}];
    const old = [{path: '/etc/containers/registries.conf', content: 'a = 0\n'}, {path: '/etc/containers/policy.json', content: '{}'}];
    const p = pool('worker', {}, {renderedConfig: 'rendered-worker-old', targetConfig: 'rendered-worker-new', renderedMc: {name: 'rendered-worker-old', files: old}, targetMc: {name: 'rendered-worker-new', files: good}});
    const r = compareRenderedMc(p, expected);
    expect(r.state).to.equal('rolling-out');
    expect(r.files.every((f) => !f.drift)).to.equal(true);
    const stuck = compareRenderedMc({...p, targetMc: {name: 'rendered-worker-new', files: old}}, expected);
    expect(stuck.state).to.equal('differs');
    expect(stuck.files.find((f) => f.path === '/etc/containers/registries.conf')!.changes).to.deep.equal(['a: 1 -> 0']);
  });

  it('exit codes: drift beats partial, partial beats match', () => {
    const pools = [pool('worker', {role: 'w'}, {generatedMc: {name: '99-worker-generated-registries', files: [{path: '/etc/containers/registries.conf', content: 'a = 1\n'}]}, renderedMc: {name: 'rendered-worker-1', files: [{path: '/etc/containers/registries.conf', content: 'a = 1\n'}, {path: '/etc/containers/policy.json', content: '{}'}]}, renderedConfig: 'rendered-worker-1'})];
    const nodes = [{name: 'a', labels: {role: 'w'}}, {name: 'b', labels: {role: 'w'}}];
    const good = read({'/etc/containers/registries.conf': 'a = 1\n', '/etc/containers/policy.json': '{}'});
    const bad = read({'/etc/containers/registries.conf': 'a = 2\n', '/etc/containers/policy.json': '{}'});
    const down = {ok: false as const, error: 'x'};
    const code = (ra: unknown, rb: unknown) => buildReport({via: 'debug', expected, hasImageConfig: true, pools, nodes, reads: new Map([['a', ra], ['b', rb]] as never)}).summary.exitCode;
    expect(code(good, good)).to.equal(0);
    expect(code(good, down)).to.equal(5);
    expect(code(bad, down)).to.equal(1);
    expect(code(down, down)).to.equal(5);
  });
});
