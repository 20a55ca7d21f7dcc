#!/usr/bin/env node
// Fleet verify bench: C fake clusters (default 20) x N nodes (default 50), each node answering after
// 1 s through a replaying fake oc (test/support/fake-oc-replay.sh: the node's read output recorded once,
// so the fake costs a shell, a sleep and nothing else), all verified by ONE `verify --all-contexts` run. Reports wall time as a
// ratio to the ideal: ceil(C / cluster-concurrency) waves x ceil(N / concurrency) node rounds x latency
// (target <= 1.3), and what running the clusters one by one would ideally take.
// Usage: node scripts/bench-fleet.js [--clusters 20] [--nodes 50] [--cluster-concurrency 4] [--concurrency 10] [--latency-ms 1000] [--json] [--strict]
// `npm run bench` calls it; it needs a built dist/ (npm run build).
import {numberOption} from './bench-util.js';
import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {register} from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const {startCluster, BIN, renderedFiles} = await import(join(root, 'test/support/verify-cluster.ts'));
const {ocArgs} = await import(join(root, 'src/cluster/node-files.ts'));
const {NODES_DIR} = await import(join(root, 'test/support/gen-node-fixtures.ts'));
const {kubeconfigYaml} = await import(join(root, 'test/support/multi-cluster.ts'));

const args = process.argv.slice(2);
const opt = numberOption;
const CLUSTERS = opt('clusters', 20);
const NODES = opt('nodes', 50);
const CLUSTER_CONCURRENCY = opt('cluster-concurrency', 4);
const CONCURRENCY = opt('concurrency', 10);
const LATENCY = opt('latency-ms', 1000);

/** CPU seconds (user + system) of a child, sampled from /proc while it runs. */
function watchCpu(pid) {
  let ticks = 0;
  const read = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks = Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  };
  const t = setInterval(read, 50);
  return {stop: () => (clearInterval(t), ticks / 100)};
}

const work = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
const ocDir = join(work, 'bin');
mkdirSync(ocDir);
symlinkSync(join(root, 'test', 'support', 'fake-oc-replay.sh'), join(ocDir, 'oc'));

// Record what the read script prints on a master and on a worker (the tests' fake runs it on the fixture tree).
const recorded = {};
for (const kind of ['master-0', 'worker-0']) {
  const r = spawnSync(join(root, 'test', 'support', 'fake-oc.sh'), ocArgs(kind, {via: 'debug', extraPaths: renderedFiles().map((f) => f.path)}), {env: {...process.env, FAKE_OC_ROOT: join(NODES_DIR, 'all-match')}, encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`recording ${kind} failed: ${r.stderr}`);
  recorded[kind] = join(work, `${kind}.out`);
  writeFileSync(recorded[kind], r.stdout);
}

// Every cluster: the verify fixture with NODES nodes (1 master, N-1 workers), and its own node root.
const workers = Array.from({length: NODES - 3}, (_, i) => `worker-b${String(i).padStart(3, '0')}`);
const names = ['master-0', 'worker-0', 'worker-1', ...workers];
const servers = [];
const entries = [];
const nodeRoots = join(work, 'nodes');
for (let c = 0; c < CLUSTERS; c++) {
  const name = `cluster-${String(c).padStart(2, '0')}`;
  const srv = await startCluster({workers});
  servers.push(srv);
  entries.push({name, server: srv.url});
  for (const n of names) {
    mkdirSync(join(nodeRoots, name), {recursive: true});
    symlinkSync(recorded[n.startsWith('master') ? 'master-0' : 'worker-0'], join(nodeRoots, name, `${n}.out`));
  }
}
const kubeconfig = join(work, 'kubeconfig');
writeFileSync(kubeconfig, kubeconfigYaml(entries));
const log = join(work, 'oc.log');

const started = Date.now();
const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), BIN, 'verify', '--all-contexts', '--json', '--cluster-concurrency', String(CLUSTER_CONCURRENCY), '--concurrency', String(CONCURRENCY), '--timeout', '30s'], {
  env: {...process.env, PATH: `${ocDir}:${process.env.PATH}`, KUBECONFIG: kubeconfig, FAKE_OC_ROOT: nodeRoots, FAKE_OC_PER_CONTEXT: '1', FAKE_OC_LATENCY_MS: String(LATENCY), FAKE_OC_LOG: log},
  stdio: ['ignore', 'pipe', 'pipe'],
});
const cpu = watchCpu(child.pid);
let out = '';
let err = '';
child.stdout.on('data', (b) => (out += b));
child.stderr.on('data', (b) => (err += b));
const code = await new Promise((r) => child.on('close', r));
const wallMs = Date.now() - started;
const verifyCpuSeconds = cpu.stop();
const benchCpu = process.cpuUsage();
await Promise.all(servers.map((s) => s.close()));

const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const firstStart = Math.min(...events.map((e) => e.t));
const nodePhaseMs = Math.max(...events.map((e) => e.t)) - firstStart;
const perContext = {};
for (const e of events) (perContext[e.context] ??= []).push(e.t);
const clusterSpans = Object.values(perContext).map((ts) => Math.max(...ts) - Math.min(...ts));
let running = 0;
let peak = 0;
for (const e of events.sort((a, b) => a.t - b.t || (a.event === 'end' ? -1 : 1))) {
  running += e.event === 'start' ? 1 : -1;
  peak = Math.max(peak, running);
}
rmSync(work, {recursive: true, force: true});
let clusters = [];
try {
  clusters = JSON.parse(out).result.clusters;
} catch {
  process.stderr.write(`verify did not print JSON (exit ${code}): ${err.slice(0, 2000)}\n`);
}
const matched = clusters.reduce((n, c) => n + (c.result?.summary.match ?? 0), 0);
// One node read as verify saw it (spawn to exit) and as the fake saw it (its own start to end).
const mean = (xs) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
const seenByVerify = mean(clusters.flatMap((c) => (c.result?.pools ?? []).flatMap((p) => p.nodes.map((n) => n.elapsedMs ?? 0))));
const starts = new Map(events.filter((e) => e.event === 'start').map((e) => [`${e.context}/${e.node}`, e.t]));
const seenByFake = mean(events.filter((e) => e.event === 'end').map((e) => e.t - (starts.get(`${e.context}/${e.node}`) ?? e.t)));
const ideal = Math.ceil(CLUSTERS / CLUSTER_CONCURRENCY) * Math.ceil(NODES / CONCURRENCY) * LATENCY;
const sequentialIdeal = CLUSTERS * Math.ceil(NODES / CONCURRENCY) * LATENCY;
const r2 = (x) => Math.round(x * 100) / 100;
const result = {
  clusters: CLUSTERS,
  nodesPerCluster: NODES,
  clusterConcurrency: CLUSTER_CONCURRENCY,
  concurrency: CONCURRENCY,
  latencyMs: LATENCY,
  cpus: availableParallelism(),
  exitCode: code,
  matched,
  wallMs,
  idealMs: ideal,
  ratio: r2(wallMs / ideal),
  sequentialIdealMs: sequentialIdeal,
  peakParallelOc: peak,
  firstOcAfterMs: firstStart - started,
  nodePhaseMs,
  clusterNodePhaseMs: {min: Math.min(...clusterSpans), max: Math.max(...clusterSpans)},
  nodeReadMs: {seenByVerify, seenByFake},
  verifyCpuSeconds,
  fakeApiServersCpuSeconds: r2((benchCpu.user + benchCpu.system) / 1e6),
  target: 1.3,
};
result.ok = result.ratio <= 1.3 && code === 0 && matched === CLUSTERS * NODES;
if (args.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else {
  process.stdout.write(
    `verify --all-contexts: ${CLUSTERS} clusters x ${NODES} nodes x ${LATENCY} ms, --cluster-concurrency ${CLUSTER_CONCURRENCY} --concurrency ${CONCURRENCY}: ` +
      `${(wallMs / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(0)} s, ratio ${result.ratio}; one cluster after the other would ideally take ${(sequentialIdeal / 1000).toFixed(0)} s); ` +
      `first oc after ${((firstStart - started) / 1000).toFixed(2)} s, node phase ${(nodePhaseMs / 1000).toFixed(2)} s (per cluster ${(Math.min(...clusterSpans) / 1000).toFixed(2)}-${(Math.max(...clusterSpans) / 1000).toFixed(2)} s); at most ${peak} oc at once; one node read ${seenByVerify} ms as verify sees it, ${seenByFake} ms inside the fake; verify CPU ${verifyCpuSeconds} s, fake API servers CPU ${result.fakeApiServersCpuSeconds} s; exit ${code}, ${matched}/${CLUSTERS * NODES} nodes matched\n`,
  );
  process.stdout.write(`target ratio <= 1.3 (${result.cpus} CPUs): ${result.ok ? 'ok' : 'MISSED'}\n`);
}
if (args.includes('--strict') && !result.ok) process.exitCode = 1;
