#!/usr/bin/env node
// verify bench: N fake nodes (default 200), each answering after 1 s, read at
// --concurrency 20 through the fake oc, against the fake API server. Reports wall
// time as a ratio to the ideal (ceil(N/20) s; target <= 1.3) and the verify
// process's peak RSS for a small and the full node count (memory should stay flat).
// Usage: node scripts/bench-verify.js [--nodes 200] [--concurrency 20] [--latency-ms 1000] [--json] [--strict]
// `npm run bench` may call it; it needs a built dist/ (npm run build).
import {numberOption, watchProc} from './bench-util.js';
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {register} from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const {startCluster, fakeOcDir, BIN, MCD_PODS} = await import(join(root, 'test/support/verify-cluster.ts'));
const {NODES_DIR} = await import(join(root, 'test/support/gen-node-fixtures.ts'));

const args = process.argv.slice(2);
const opt = numberOption;
const NODES = opt('nodes', 200);
const CONCURRENCY = opt('concurrency', 20);
const LATENCY = opt('latency-ms', 1000);


// The tests' fake oc (test/support/fake-oc.sh) is a bash script: like a real, compiled oc it costs
// little CPU per call, so the benchmark measures verify rather than the fake.
const ocDir = fakeOcDir();

async function run(nodes) {
  const workers = Array.from({length: nodes - 3}, (_, i) => `worker-b${String(i).padStart(3, '0')}`);
  const srv = await startCluster({workers});
  const rootDir = mkdtempSync(join(tmpdir(), 'bench-nodes-'));
  for (const n of ['master-0', 'worker-0', 'worker-1', ...workers]) {
    mkdirSync(rootDir, {recursive: true});
    symlinkSync(join(NODES_DIR, 'all-match', n.startsWith('master') ? 'master-0' : 'worker-0'), join(rootDir, n));
  }
  const log = join(rootDir, 'oc.log');
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'verify', '--json', '--concurrency', String(CONCURRENCY), '--timeout', '30s'], {
    env: {
      ...process.env,
      PATH: `${ocDir}:${process.env.PATH}`,
      KUBECONFIG: srv.writeKubeconfig(),
      FAKE_OC_ROOT: rootDir,
      FAKE_OC_LATENCY_MS: String(LATENCY),
      FAKE_OC_LOG: log,
      FAKE_OC_PODS: Object.entries(MCD_PODS).map(([n, p]) => `${p}=${n}`).join(','),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = watchProc(child.pid);
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', () => {});
  const code = await new Promise((r) => child.on('close', r));
  const wallMs = Date.now() - started;
  const {peak: peakRss, cpuSeconds} = proc.stop();
  await srv.close();
  // The node phase: first oc started to last oc finished (the CLI's own start-up and API reads excluded).
  const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const phaseMs = Math.max(...events.map((e) => e.t)) - Math.min(...events.map((e) => e.t));
  let running = 0;
  let peakParallel = 0;
  for (const e of events.sort((a, b) => a.t - b.t || (a.event === 'end' ? -1 : 1))) {
    running += e.event === 'start' ? 1 : -1;
    peakParallel = Math.max(peakParallel, running);
  }
  rmSync(rootDir, {recursive: true, force: true});
  const report = JSON.parse(out).result;
  const ideal = Math.ceil(nodes / CONCURRENCY) * LATENCY;
  const r2 = (x) => Math.round(x * 100) / 100;
  return {nodes, exitCode: code, matched: report.summary.match, wallMs, idealMs: ideal, ratio: r2(wallMs / ideal), nodePhaseMs: phaseMs, nodePhaseRatio: r2(phaseMs / ideal), peakParallel, cpuSeconds, peakRssMiB: Math.round((peakRss / 1048576) * 10) / 10};
}

const small = await run(Math.max(20, Math.round(NODES / 5)));
const full = await run(NODES);
const result = {concurrency: CONCURRENCY, latencyMs: LATENCY, cpus: availableParallelism(), small, full, target: 1.3, ok: full.ratio <= 1.3 && full.exitCode === 0 && full.matched === NODES};
if (args.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else {
  for (const r of [small, full]) {
    process.stdout.write(
      `verify ${r.nodes} nodes x ${LATENCY} ms at --concurrency ${CONCURRENCY}: end to end ${(r.wallMs / 1000).toFixed(2)} s (ideal ${(r.idealMs / 1000).toFixed(0)} s, ratio ${r.ratio}); ` +
        `node phase ${(r.nodePhaseMs / 1000).toFixed(2)} s (ratio ${r.nodePhaseRatio}, at most ${r.peakParallel} oc at once); verify CPU ${r.cpuSeconds} s; peak RSS ${r.peakRssMiB} MiB; exit ${r.exitCode}, ${r.matched} matched\n`,
    );
  }
  process.stdout.write(`target end-to-end ratio <= 1.3 (${result.cpus} CPUs): ${result.ok ? 'ok' : 'MISSED'}\n`);
}
if (args.includes('--strict') && !result.ok) process.exitCode = 1;
