/**
 * One command over several clusters: three fake API servers in one kubeconfig (all-match,
 * drift, and one context whose server is unreachable), the fake oc answering per context.
 */
import {expect} from 'chai';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {renderedFiles, runCli} from '../support/verify-cluster.js';
import {startFleet, type Fleet} from '../support/multi-cluster.js';
import type {VerifyReport} from '../../src/render/verify.js';
import type {StatusResult} from '../../src/services/status.js';

interface Cluster<R> {
  context: string;
  server: string;
  status: number;
  result: R | null;
  error?: {name: string; message: string};
  warnings: Array<{code: string; message: string}>;
}
interface Envelope<R> {
  status: number;
  result: {clusters: Array<Cluster<R>>};
  warnings: Array<{code: string; message: string}>;
}

// The worker pool's rendered MachineConfig lacks the search drop-in, and worker-1's registries.conf was hand-edited.
const driftFiles = () => renderedFiles().filter((f) => !f.path.startsWith('/etc/docker') && !f.path.includes('registries.conf.d'));

describe('several clusters in one run (--context repeated, --all-contexts)', function () {
  this.timeout(120000);
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet([
      {name: 'prod-east', cluster: {}},
      {name: 'prod-west', cluster: {renderedFiles: {worker: driftFiles()}}, nodes: 'hand-edited'},
      {name: 'lab-gone', cluster: 'unreachable'},
    ]);
  });
  after(async () => fleet.close());
  const run = (args: string[], env: Record<string, string> = {}) => runCli([...fleet.servers.values()][0]!, args, {...fleet.env, ...env});

  it('verify --all-contexts --json: one entry per context, each with its own exit code; overall the worst (3 > 1 > 0)', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fleet-log-')), 'oc.log');
    const r = await run(['verify', '--all-contexts', '--json'], {FAKE_OC_LOG: log});
    const env = JSON.parse(r.stdout) as Envelope<VerifyReport>;
    expect(r.code).to.equal(3);
    expect(env.status).to.equal(3);
    expect(env.result.clusters.map((c) => [c.context, c.status])).to.deep.equal([
      ['prod-east', 0],
      ['prod-west', 1],
      ['lab-gone', 3],
    ]);
    const [east, west, gone] = env.result.clusters as [Cluster<VerifyReport>, Cluster<VerifyReport>, Cluster<VerifyReport>];
    expect(east.server).to.equal(fleet.servers.get('prod-east')!.url);
    expect(east.result!.summary.exitCode).to.equal(0);
    expect(west.result!.summary.exitCode).to.equal(1);
    const westWorker1 = west.result!.pools.flatMap((p) => p.nodes).find((n) => n.name === 'worker-1')!;
    expect(westWorker1.state).to.equal('differs');
    expect(west.result!.pools.find((p) => p.name === 'worker')!.rendered.state).to.equal('differs');
    expect(gone.result).to.equal(null);
    expect(gone.error!.message).to.match(/cannot reach the API server at http:\/\/127\.0\.0\.1:\d+/);
    // Each cluster's nodes were read through oc with that cluster's context, and nothing for the unreachable one.
    const starts = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {event: string; node: string; context: string}).filter((e) => e.event === 'start');
    expect(starts.map((e) => `${e.context}/${e.node}`).sort()).to.deep.equal(['prod-east/master-0', 'prod-east/worker-0', 'prod-east/worker-1', 'prod-west/master-0', 'prod-west/worker-0', 'prod-west/worker-1']);
  });

  it('verify, text: every context\'s own report, then the context x pool matrix with each exit code', async () => {
    const r = await run(['verify', '--context', 'prod-east', '--context', 'prod-west', '--context', 'lab-gone']);
    expect(r.code).to.equal(3);
    expect(r.stdout).to.match(/^=== prod-west {2}http:\/\/127\.0\.0\.1:\d+ {2}\(exit 1\)$/m);
    expect(r.stdout).to.match(/^ {2}worker-1 {2}differs$/m);
    expect(r.stdout).to.match(/^error: .*cannot reach the API server/m);
    const matrix = r.stdout.slice(r.stdout.indexOf('clusters (3)')).trim().split('\n');
    expect(matrix).to.deep.equal([
      'clusters (3)',
      'CONTEXT    MASTER       WORKER       EXIT',
      'prod-east  match        match        0',
      'prod-west  match        drift        1',
      'lab-gone   unreachable  unreachable  3',
    ]);
  });

  it('--cluster-concurrency 1 runs the clusters one after the other (node reads never overlap across clusters)', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fleet-log-')), 'oc.log');
    const r = await run(['verify', '--context', 'prod-east', '--context', 'prod-west', '--cluster-concurrency', '1', '--json'], {FAKE_OC_LOG: log, FAKE_OC_LATENCY_MS: '200'});
    expect(r.code).to.equal(1);
    const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {event: string; context: string; t: number});
    // Whichever cluster got the slot first, its node reads all ended before the other's began.
    const span = (ctx: string) => [Math.min(...events.filter((e) => e.context === ctx && e.event === 'start').map((e) => e.t)), Math.max(...events.filter((e) => e.context === ctx && e.event === 'end').map((e) => e.t))] as const;
    const [a, b] = [span('prod-east'), span('prod-west')].sort((x, y) => x[0] - y[0]) as [readonly [number, number], readonly [number, number]];
    expect(b[0]).to.be.at.least(a[1]);
  });

  it('one --context: exactly the single-cluster output (no matrix, no clusters[])', async () => {
    const r = await run(['verify', '--context', 'prod-west', '--json']);
    expect(r.code).to.equal(1);
    const env = JSON.parse(r.stdout) as {status: number; result: VerifyReport};
    expect(env.status).to.equal(1);
    expect(env.result).to.have.property('summary');
    expect(env.result).not.to.have.property('clusters');
    const text = await run(['verify', '--context', 'prod-east']);
    expect(text.code).to.equal(0);
    expect(text.stdout).not.to.include('CONTEXT');
    expect(text.stdout.trim().split('\n').at(-1)).to.equal('all files match');
  });

  it('status --all-contexts: the pools per cluster (drift in a rendered config), the worst exit code', async () => {
    const r = await run(['status', '--all-contexts', '--json']);
    const env = JSON.parse(r.stdout) as Envelope<StatusResult>;
    expect(r.code).to.equal(3);
    expect(env.result.clusters.map((c) => [c.context, c.status])).to.deep.equal([
      ['prod-east', 0],
      ['prod-west', 0],
      ['lab-gone', 3],
    ]);
    expect(env.result.clusters[1]!.result!.pools.find((p) => p.name === 'worker')!.renderedConfigHasFiles).to.equal('no');
    const text = await run(['status', '--all-contexts']);
    const matrix = text.stdout.slice(text.stdout.indexOf('clusters (3)')).trim().split('\n');
    expect(matrix.slice(1)).to.deep.equal([
      'CONTEXT    MASTER       WORKER       EXIT',
      'prod-east  match        match        0',
      'prod-west  match        drift        0',
      'lab-gone   unreachable  unreachable  3',
    ]);
  });

  it('render and explain --all-contexts: equal configurations give equal digests; the unreachable one is reported', async () => {
    const r = await run(['render', '--all-contexts', '--json']);
    const env = JSON.parse(r.stdout) as Envelope<{files: Array<{path: string; content: string}>}>;
    expect(r.code).to.equal(3);
    expect(env.result.clusters[0]!.result!.files).to.deep.equal(env.result.clusters[1]!.result!.files);
    const text = await run(['render', '--all-contexts']);
    const rows = text.stdout.slice(text.stdout.indexOf('clusters (3)')).trim().split('\n').slice(2);
    const digest = (row: string) => row.split(/ +/)[2];
    expect(digest(rows[0]!)).to.match(/^[0-9a-f]{12}$/);
    expect(digest(rows[0]!)).to.equal(digest(rows[1]!));
    const dir = mkdtempSync(join(tmpdir(), 'fleet-render-'));
    expect((await run(['render', '--all-contexts', '--out', dir])).code).to.equal(3);
    expect(readdirSync(dir).sort()).to.deep.equal(['prod-east', 'prod-west']);
    expect(readFileSync(join(dir, 'prod-west', 'etc/containers/registries.conf'), 'utf8')).to.include('location = "mirror.example.net/team"');
    const ex = await run(['explain', 'registry.example.com/team/app@sha256:' + 'a'.repeat(64), '--context', 'prod-east', '--context', 'prod-west', '--json']);
    const exEnv = JSON.parse(ex.stdout) as Envelope<{candidates: Array<{pullFrom?: string}>}>;
    expect(ex.code).to.equal(0);
    expect(exEnv.result.clusters.map((c) => c.result!.candidates[0]!.pullFrom)).to.deep.equal(['mirror.example.net/team/app@sha256:' + 'a'.repeat(64), 'mirror.example.net/team/app@sha256:' + 'a'.repeat(64)]);
  });

  it('usage errors: an unknown context (exit 2, naming the known ones); -f with several contexts where -f replaces the cluster', async () => {
    const r = await run(['verify', '--context', 'prod-east', '--context', 'prod-nowhere']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--context prod-nowhere: not in the kubeconfig (have: prod-east, prod-west, lab-gone)');
    const f = await run(['status', '-f', 'examples/mirrors.yaml', '--all-contexts']);
    expect(f.code).to.equal(2);
    expect(f.stderr).to.include('status -f reads no cluster');
    const both = await run(['verify', '--context', 'prod-east', '--all-contexts']);
    expect(both.code).to.equal(2);
  });
});
