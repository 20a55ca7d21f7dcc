/** verify: a selection with no node is an error; a change MCO has not rendered yet is pending, not drift. */
import {expect} from 'chai';
import type {FakeApiServer} from '../support/fake-apiserver.js';
import {runCli, startCluster} from '../support/verify-cluster.js';
import type {VerifyReport} from '../../src/render/verify.js';

const addSearchRegistry = (srv: FakeApiServer) =>
  srv.modify('images', 'cluster', (o) => ((o.spec as {registrySources: {containerRuntimeSearchRegistries: string[]}}).registrySources.containerRuntimeSearchRegistries.push('registry2.example.com')));

describe('verify: empty selections and changes MCO has not rendered yet', function () {
  this.timeout(60000);
  let srv: FakeApiServer;
  beforeEach(async () => {
    srv = await startCluster();
  });
  afterEach(() => srv.close());

  it('--pool master --node worker-0 selects no node: exit 2 saying why, not "all files match"', async () => {
    const r = await runCli(srv, ['verify', '--pool', 'master', '--node', 'worker-0']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('no node selected').and.contain('worker-0 is in pool worker, not in --pool master');
    expect(r.stdout).to.not.contain('match');
    const j = await runCli(srv, ['verify', '--pool', 'master', '--node', 'worker-0', '--json']);
    expect(j.code).to.equal(2);
    expect(JSON.parse(j.stdout).message).to.contain('no node selected');
  });

  it('a pool without nodes selects no node: exit 2', async () => {
    srv.modify('nodes', 'master-0', (o) => {
      (o.metadata as {labels: Record<string, string>}).labels = {'kubernetes.io/hostname': 'master-0', 'node-role.kubernetes.io/worker': ''};
    });
    const r = await runCli(srv, ['verify', '--pool', 'master']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('no node selected').and.contain('pool master has no nodes');
  });

  it('the Image changed and MCO has not rendered it yet: pending (exit 6), kept out of drift', async () => {
    addSearchRegistry(srv);
    const r = await runCli(srv, ['verify', '--json']);
    expect(r.code, r.stderr).to.equal(6);
    const rep = JSON.parse(r.stdout).result as VerifyReport;
    expect(rep.summary.exitCode).to.equal(6);
    expect(rep.summary.differs).to.equal(0);
    expect(rep.summary.machineConfigDrift).to.equal(0);
    expect(rep.summary.pending).to.equal(3);
    expect(rep.pools.map((p) => `${p.name}:${p.generated.state}:${p.drift}`)).to.deep.equal(['master:pending:false', 'worker:pending:false']);
    expect(rep.pools.flatMap((p) => p.nodes).map((n) => `${n.name}:${n.state}:${n.drift}`)).to.deep.equal(['master-0:pending:false', 'worker-0:pending:false', 'worker-1:pending:false']);
    expect(rep.summary.verdict).to.match(/^pending: /);
    const t = await runCli(srv, ['verify']);
    expect(t.code).to.equal(6);
    expect(t.stdout).to.contain('pending').and.not.match(/^drift/m);
  });

  it('the generated MachineConfig has it but the pool has no rendered config with it yet: pending', async () => {
    addSearchRegistry(srv);
    // The container-runtime controller has regenerated 99-worker-generated-registries; the render controller has not caught up.
    const r0 = await runCli(srv, ['render', '--format', 'machineconfig', '--pool', 'worker']);
    expect(r0.code, r0.stderr).to.equal(0);
    const {parse} = await import('yaml');
    srv.put(parse(r0.stdout) as never);
    const r = await runCli(srv, ['verify', '--json', '--pool', 'worker']);
    expect(r.code, r.stderr).to.equal(6);
    const rep = JSON.parse(r.stdout).result as VerifyReport;
    expect(rep.pools[0]!.generated.state).to.equal('match');
    expect(rep.pools[0]!.rendered.state).to.equal('pending');
  });

  it('pending does not hide a hand-edited node: that node is drift (exit 1)', async () => {
    addSearchRegistry(srv);
    const r = await runCli(srv, ['verify', '--json'], {}, 'hand-edited');
    expect(r.code).to.equal(1);
    const nodes = (JSON.parse(r.stdout).result as VerifyReport).pools.flatMap((p) => p.nodes);
    expect(nodes.find((n) => n.name === 'worker-1')!.state).to.equal('differs');
    expect(nodes.find((n) => n.name === 'worker-0')!.state).to.equal('pending');
  });
});
