/** verify against the fake API server and the fake oc, through bin/run.js as a user runs it. */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {FakeApiServer} from '../support/fake-apiserver.js';
import {FAKE_OC, MCD_PODS, RENDERED, renderedFiles, runCli, startCluster, type ClusterOptions} from '../support/verify-cluster.js';
import {NODES_DIR} from '../support/gen-node-fixtures.js';
import {ocArgs} from '../../src/cluster/node-files.js';
import type {NodeReport, VerifyReport} from '../../src/render/verify.js';

interface Envelope {
  status: number;
  result: VerifyReport;
  warnings: Array<{code: string; message: string}>;
}

const nodesOf = (r: VerifyReport) => Object.fromEntries(r.pools.flatMap((p) => p.nodes).map((n) => [n.name, n])) as Record<string, NodeReport>;
const fileOf = (n: NodeReport, path: string) => n.files.find((f) => f.path === path)!;
const REG = '/etc/containers/registries.conf';
const POLICY = '/etc/containers/policy.json';
const DROPIN = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
const CA = '/etc/docker/certs.d/registry.example.com:5000/ca.crt';

function logFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'oclog-')), 'oc.log');
}
const readLog = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {event: string; verb: string; node: string; pod?: string; t: number});

describe('verify (fake cluster, fake oc)', function () {
  this.timeout(60000);
  let srv: FakeApiServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });
  const cluster = async (opts: ClusterOptions = {}) => (srv = await startCluster(opts));

  async function json(args: string[], env: Record<string, string> = {}, condition = 'all-match', opts: ClusterOptions = {}): Promise<{code: number; env: Envelope; stderr: string}> {
    if (!srv) await cluster(opts);
    const r = await runCli(srv!, ['verify', '--json', ...args], env, condition);
    return {code: r.code, env: JSON.parse(r.stdout) as Envelope, stderr: r.stderr};
  }

  it('the fleet benchmark\'s replaying fake oc (--oc PATH) gives the same report as the tests\' fake', async () => {
    // Record each node's answer with the tests' fake, then let the replaying fake serve it.
    const recorded = mkdtempSync(join(tmpdir(), 'oc-replay-'));
    const extraPaths = renderedFiles().map((f) => f.path);
    for (const node of ['master-0', 'worker-0', 'worker-1']) {
      const r = spawnSync(FAKE_OC, ocArgs(node, {via: 'debug', extraPaths}), {env: {...process.env, FAKE_OC_ROOT: join(NODES_DIR, 'all-match')}});
      expect(r.status, String(r.stderr)).to.equal(0);
      writeFileSync(join(recorded, `${node}.out`), r.stdout);
    }
    const log = logFile();
    const replay = join(import.meta.dirname, '..', 'support', 'fake-oc-replay.sh');
    const viaReplay = await json(['--oc', replay], {FAKE_OC_ROOT: recorded, FAKE_OC_LOG: log, FAKE_OC_LATENCY_MS: '50'});
    const viaFake = await json([]);
    expect(viaReplay.code).to.equal(0);
    const strip = (r: VerifyReport) => JSON.stringify(r.pools.map((p) => p.nodes.map((n) => [n.name, n.state, n.files.map((f) => [f.path, f.state, f.sha256])])));
    expect(strip(viaReplay.env.result)).to.equal(strip(viaFake.env.result));
    expect(readLog(log).filter((e) => e.event === 'start').map((e) => e.node).sort()).to.deep.equal(['master-0', 'worker-0', 'worker-1']);
  });

  it('all match: exit 0, every layer has the same hash, exactly one oc call per node', async () => {
    const log = logFile();
    const {code, env} = await json([], {FAKE_OC_LOG: log});
    expect(code).to.equal(0);
    expect(env.status).to.equal(0);
    const nodes = nodesOf(env.result);
    expect(Object.keys(nodes).sort()).to.deep.equal(['master-0', 'worker-0', 'worker-1']);
    for (const n of Object.values(nodes)) {
      expect(n.state, n.name).to.equal('match');
      const reg = fileOf(n, REG);
      expect(reg.sha256.node).to.equal(reg.sha256.rendered);
      expect(reg.sha256.generatedMachineConfig).to.equal(reg.sha256.rendered);
      expect(reg.sha256.renderedMachineConfig).to.equal(reg.sha256.rendered);
      // The CA is written by the daemon, not in any MachineConfig.
      expect(fileOf(n, CA).sha256).to.have.keys('rendered', 'node');
      // node-ca's own CA is reported but is not drift.
      const nodeCa = n.files.find((f) => f.path.includes('image-registry.openshift-image-registry.svc:5000'))!;
      expect(nodeCa).to.include({state: 'extra', drift: false});
    }
    const rendered = Object.fromEntries(renderedFiles().map((f) => [f.path, f.content]));
    expect(env.result.files.map((f) => f.path)).to.deep.equal(Object.keys(rendered));
    const starts = readLog(log).filter((e) => e.event === 'start');
    expect(starts.map((e) => e.node).sort()).to.deep.equal(['master-0', 'worker-0', 'worker-1']);
    expect(starts.every((e) => e.verb === 'debug')).to.equal(true);
    expect(env.result.pools.map((p) => [p.name, p.generated.state, p.rendered.state])).to.deep.equal([
      ['master', 'match', 'match'],
      ['worker', 'match', 'match'],
    ]);
  });

  it('all match, human output: one line per node, no progress when stderr is not a TTY', async () => {
    await cluster();
    const r = await runCli(srv!, ['verify']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^ {2}worker-1 {2}match$/m);
    expect(r.stdout).to.contain('3 node(s) via oc debug');
    expect(r.stdout.trim().split('\n').at(-1)).to.equal('all files match');
    expect(r.stderr).not.to.match(/\d+\/\d+ nodes/);
  });

  it('one node hand-edited: drift (exit 1) with the change in meaning and a unified diff', async () => {
    await cluster();
    const r = await runCli(srv!, ['verify'], {}, 'hand-edited');
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/^ {2}worker-1 {2}differs$/m);
    expect(r.stdout).to.contain('registry[location="registry.example.com/team"].mirror[location="mirror.example.net/team"]: removed');
    expect(r.stdout).to.contain('--- rendered\n');
    expect(r.stdout).to.contain('+++ node/worker-1\n');
    expect(r.stdout).to.match(/^\s+-\s+location = "mirror.example.net\/team"$/m);
    expect(r.stdout).to.match(/^\s+\+\s+location = "mirror.evil.example\/team"$/m);
    expect(r.stdout).to.contain('drift: 1 node(s) differ');
    const {env} = await json([], {}, 'hand-edited');
    const w1 = nodesOf(env.result)['worker-1']!;
    expect(fileOf(w1, REG)).to.include({state: 'differs', bytesEqual: false, semanticEqual: false, drift: true});
    expect(fileOf(w1, REG).sha256.node).not.to.equal(fileOf(w1, REG).sha256.rendered);
    expect(fileOf(w1, REG).diff).to.match(/^@@ /m);
    expect(nodesOf(env.result)['worker-0']!.state).to.equal('match');
  });

  it('one node missing the search drop-in: state missing, exit 1', async () => {
    const {code, env} = await json([], {}, 'missing-dropin');
    expect(code).to.equal(1);
    const w1 = nodesOf(env.result)['worker-1']!;
    expect(w1.state).to.equal('differs');
    expect(fileOf(w1, DROPIN)).to.include({state: 'missing', drift: true});
    expect(fileOf(w1, DROPIN).sha256).not.to.have.key('node');
  });

  it('CA file missing on one node: state missing, exit 1', async () => {
    const {code, env} = await json([], {}, 'ca-missing');
    expect(code).to.equal(1);
    const w0 = nodesOf(env.result)['worker-0']!;
    expect(fileOf(w0, CA)).to.include({state: 'missing', format: 'pem'});
    expect(nodesOf(env.result)['worker-1']!.state).to.equal('match');
  });

  it('byte-different but semantically equal file: reported as such, not drift', async () => {
    await cluster();
    const r = await runCli(srv!, ['verify'], {}, 'reformatted');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('/etc/containers/policy.json: match (same JSON content, different bytes; not drift)');
    const {env} = await json([], {}, 'reformatted');
    expect(fileOf(nodesOf(env.result)['worker-0']!, POLICY)).to.include({state: 'match', bytesEqual: false, semanticEqual: true, drift: false});
  });

  it('node rolling out (currentConfig != desiredConfig): not drift, exit 0', async () => {
    const {code, env} = await json([], {}, 'missing-dropin', {rolling: {'worker-1': ['rendered-worker-0ld000', RENDERED.worker]}});
    expect(code).to.equal(0);
    const w1 = nodesOf(env.result)['worker-1']!;
    expect(w1.state).to.equal('rolling-out');
    expect(w1.note).to.equal(`rolling out: rendered-worker-0ld000 -> ${RENDERED.worker}`);
    expect(fileOf(w1, DROPIN)).to.include({state: 'missing', drift: false});
    expect(env.result.summary.verdict).to.equal('no drift; 1 node(s) still rolling out');
  });

  it('pool degraded: reported with its message, exit 1; a node stuck in it is pool-degraded', async () => {
    const message = 'Node worker-1 is reporting: "unexpected on-disk state validating against rendered-worker-9b2e47"';
    await cluster({degraded: {pool: 'worker', message}, rolling: {'worker-1': ['rendered-worker-0ld000', RENDERED.worker]}});
    const r = await runCli(srv!, ['verify']);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.contain(`DEGRADED: ${message}`);
    const {env} = await json([]);
    const worker = env.result.pools.find((p) => p.name === 'worker')!;
    expect(worker).to.include({degraded: true, degradedMessage: message, drift: true});
    expect(nodesOf(env.result)['worker-1']!.state).to.equal('pool-degraded');
    expect(nodesOf(env.result)['worker-0']!.state).to.equal('match');
    expect(env.result.pools.find((p) => p.name === 'master')!.drift).to.equal(false);
  });

  it('node unreachable: exit 5, the others are still reported', async () => {
    const {code, env} = await json([], {FAKE_OC_EXIT: 'worker-1=1'});
    expect(code).to.equal(5);
    const nodes = nodesOf(env.result);
    expect(nodes['worker-1']).to.include({state: 'unreadable'});
    expect(nodes['worker-1']!.error).to.match(/oc exited 1: error: unable to upgrade connection/);
    expect(nodes['worker-0']!.state).to.equal('match');
    expect(nodes['master-0']!.state).to.equal('match');
    expect(env.result.summary.verdict).to.equal('partial: 1 of 3 node(s) could not be read; no drift on the others');
  });

  it('a node that never answers is cut off by --timeout; drift elsewhere still wins (exit 1)', async () => {
    const t0 = Date.now();
    // 2s: the other nodes' fake oc (a bash script) answers in tens of milliseconds even on a loaded
    // machine; short against a hang.
    const {code, env} = await json(['--timeout', '2s'], {FAKE_OC_HANG: 'worker-0'}, 'hand-edited');
    expect(Date.now() - t0).to.be.lessThan(30000);
    expect(code).to.equal(1);
    expect(nodesOf(env.result)['worker-0']!.error).to.match(/^no answer within 2s/);
    expect(nodesOf(env.result)['worker-1']!.state).to.equal('differs');
  });

  it('debug image cannot be pulled: says so and suggests --via mcd, which then works', async () => {
    const {code, env, stderr} = await json([], {FAKE_OC_IMAGE_PULL: '*'});
    expect(code).to.equal(5);
    expect(stderr).to.match(/could not pull the debug pod image on 3 node\(s\).*retry with --via mcd/);
    expect(env.warnings.map((w) => w.code)).to.include('debug-image-pull');
    expect(nodesOf(env.result)['worker-0']!.hint).to.match(/--via mcd/);
    const log = logFile();
    const mcd = await json(['--via', 'mcd'], {FAKE_OC_IMAGE_PULL: '*', FAKE_OC_LOG: log});
    expect(mcd.code).to.equal(0);
    expect(mcd.env.result.via).to.equal('mcd');
    const starts = readLog(log).filter((e) => e.event === 'start');
    expect(starts.map((e) => [e.verb, e.pod]).sort()).to.deep.equal(Object.values(MCD_PODS).map((p) => ['exec', p]).sort());
  });

  it('--via mcd on a node without a machine-config-daemon pod: that node is unreadable, exit 5', async () => {
    await cluster();
    srv!.remove('pods', MCD_PODS['worker-1']!, 'openshift-machine-config-operator');
    const {code, env} = await json(['--via', 'mcd']);
    expect(code).to.equal(5);
    expect(nodesOf(env.result)['worker-1']).to.include({state: 'unreadable', error: 'no machine-config-daemon pod runs on node worker-1'});
    expect(nodesOf(env.result)['worker-0']!.state).to.equal('match');
  });

  it('MachineConfig drift: a rendered-<pool> config without the rendered registries.conf', async () => {
    const files = renderedFiles()
      .filter((f) => !f.path.startsWith('/etc/docker'))
      .map((f) => (f.path === REG ? {...f, content: f.content.replace('blocked = true\n', '')} : f));
    const {code, env} = await json([], {}, 'all-match', {renderedFiles: {worker: files}});
    expect(code).to.equal(1);
    const worker = env.result.pools.find((p) => p.name === 'worker')!;
    expect(worker.rendered.state).to.equal('differs');
    expect(worker.rendered.files.find((f) => f.path === REG)!.changes).to.deep.equal(['registry[location="untrusted.example.com"].blocked: true -> (absent)']);
    expect(nodesOf(env.result)['worker-0']!.state).to.equal('match');
    expect(env.result.summary.machineConfigDrift).to.equal(1);
  });

  it('--pool and --node select nodes; unknown names are usage errors with a suggestion', async () => {
    const log = logFile();
    const a = await json(['--pool', 'worker', '--concurrency', '1'], {FAKE_OC_LOG: log});
    expect(a.code).to.equal(0);
    expect(Object.keys(nodesOf(a.env.result)).sort()).to.deep.equal(['worker-0', 'worker-1']);
    expect(a.env.result.pools.map((p) => p.name)).to.deep.equal(['worker']);
    // --concurrency 1: never two oc calls at the same time.
    const ev = readLog(log);
    let running = 0;
    let peak = 0;
    for (const e of ev.sort((x, y) => x.t - y.t || (x.event === 'end' ? -1 : 1))) {
      running += e.event === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).to.equal(1);
    const b = await json(['--node', 'master-0']);
    expect(Object.keys(nodesOf(b.env.result))).to.deep.equal(['master-0']);
    expect(b.env.result.pools.map((p) => p.name)).to.deep.equal(['master']);
    const c = await runCli(srv!, ['verify', '--node', 'wroker-1']);
    expect(c.code).to.equal(2);
    expect(c.stderr).to.contain('--node wroker-1: no such node; did you mean worker-1?');
  });

  it('--concurrency bounds the oc calls running at once, and they do run in parallel', async () => {
    const log = logFile();
    const {code} = await json(['--concurrency', '2'], {FAKE_OC_LOG: log, FAKE_OC_LATENCY_MS: '800'});
    expect(code).to.equal(0);
    let running = 0;
    let peak = 0;
    for (const e of readLog(log).sort((x, y) => x.t - y.t || (x.event === 'end' ? -1 : 1))) {
      running += e.event === 'start' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).to.equal(2);
  });

  it('-f manifests that differ from the cluster show up as MachineConfig and node drift', async () => {
    await cluster();
    const dir = mkdtempSync(join(tmpdir(), 'gitops-'));
    const text = readFileSync('test/fixtures/verify/cluster.yaml', 'utf8').replace('    - registry.example.com\n', '    - registry.example.com\n    - registry2.example.com\n');
    writeFileSync(join(dir, 'cluster.yaml'), text);
    const r = await runCli(srv!, ['verify', '-f', dir, '--json']);
    expect(r.code).to.equal(1);
    const env = JSON.parse(r.stdout) as Envelope;
    expect(env.result.pools.every((p) => p.generated.state === 'differs')).to.equal(true);
    expect(fileOf(nodesOf(env.result)['worker-0']!, DROPIN).changes).to.deep.equal(['unqualified-search-registries: ["registry.example.com","registry2.example.com"] -> ["registry.example.com"]']);
  });

  it('cluster unreachable: exit 3', async () => {
    await cluster();
    const dead = srv!;
    await dead.close();
    srv = undefined;
    // The retries back off on the injected clock: no real waiting.
    const r = await runCli(dead, ['verify', '--json']);
    expect(r.code).to.equal(3);
    expect(JSON.parse(r.stdout)).to.include({status: 3, name: 'ClusterError'});
  });

  it('progress n/N nodes with elapsed time on a terminal', async function () {
    const {spawnSync} = await import('node:child_process');
    if (spawnSync('script', ['--version']).error) this.skip();
    await cluster();
    const {fakeOcDir, BIN} = await import('../support/verify-cluster.js');
    const {NODES_DIR} = await import('../support/gen-node-fixtures.js');
    const {spawn} = await import('node:child_process');
    // script(1) gives the CLI a pseudo-terminal, so stderr is a TTY.
    const child = spawn('script', ['-qefc', `${process.execPath} ${BIN} verify --concurrency 1`, '/dev/null'], {
      env: {...process.env, KUBECONFIG: srv!.writeKubeconfig(), PATH: `${fakeOcDir()}:${process.env.PATH}`, FAKE_OC_ROOT: join(NODES_DIR, 'all-match'), NO_COLOR: '1'},
    });
    let all = '';
    child.stdout.on('data', (b) => (all += b));
    const code = await new Promise((r) => child.on('close', r));
    expect(code).to.equal(0);
    for (const n of [0, 1, 2, 3]) expect(all).to.match(new RegExp(`\\r${n}/3 nodes, \\d+\\.\\ds`));
    expect(all).to.contain('all files match');
  });

  it('oc missing: one clear usage error', async () => {
    await cluster();
    const r = await runCli(srv!, ['verify', '--oc', '/nonexistent/oc']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--oc /nonexistent/oc: not an executable file');
  });
});
