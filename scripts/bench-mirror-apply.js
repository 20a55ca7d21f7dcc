#!/usr/bin/env node
// Run by `npm run bench` (scripts/bench-*.js): `mirror apply` on oc-mirror v2 output with 1,000 and
// 10,000 IDMS entries against GitOps manifests holding the previous set (5% of its sources dropped),
// end to end (--staged --dry-run --json: both stages planned), and the pod check in-process
// (20,000 pod images against 10,000 entries). Ratios side by side; no pass/fail targets of its own.
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'run.js');
const dir = mkdtempSync(join(tmpdir(), 'ocr-bench-apply-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const idms = (name, sources) => `---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: ${name}\nspec:\n  imageDigestMirrors:\n${sources.map((s) => `  - mirrors:\n    - registry.example.com:8443/${s.slice(s.indexOf('/') + 1)}\n    source: ${s}`).join('\n')}\n`;
const sources = (n, from = 0) => Array.from({length: n}, (_, i) => `reg${(i + from) % 53}.example.com/team${i + from}/app`);

const results = {};
for (const n of [1000, 10000]) {
  const out = join(dir, `v2-${n}`, 'working-dir', 'cluster-resources');
  const cluster = join(dir, `cluster-${n}`);
  mkdirSync(out, {recursive: true});
  mkdirSync(cluster, {recursive: true});
  const drop = Math.floor(n / 20);
  writeFileSync(join(out, 'idms-oc-mirror.yaml'), idms('idms-operator-0', sources(n)));
  writeFileSync(join(cluster, 'cluster.yaml'), `apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata:\n  name: version\nstatus:\n  desired:\n    image: quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}\n    version: 4.18.5\n`);
  writeFileSync(join(cluster, 'idms.yaml'), idms('idms-operator-0', [...sources(n - drop), ...sources(drop, 10 * n)]));
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'mirror', 'apply', join(dir, `v2-${n}`), '-f', cluster, '--staged', '--dry-run', '--json'], {encoding: 'utf8', maxBuffer: 1 << 30});
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`mirror apply (${n}) failed: ${r.stderr.slice(0, 500)}`);
    if (i === 0 && JSON.parse(r.stdout).result.lostEntries.length !== drop) throw new Error('unexpected lost entries');
  }
  results[n] = median(times);
  console.log(`${String(n).padStart(6)} entries: mirror apply --staged --dry-run ${results[n].toFixed(0).padStart(6)} ms end to end (two stages planned, ${drop} entries lost)`);
}
console.log(`1k -> 10k ratio: ${(results[10000] / results[1000]).toFixed(2)} (10x the entries)`);

const {podsLosingMirrors} = await import(join(root, 'dist', 'model', 'oc-mirror.js'));
const set = (srcs) => [{kind: 'ImageDigestMirrorSet', name: 'x', rules: srcs.map((s) => ({source: s, mirrors: [`m.example.com/${s}`], mirrorSourcePolicy: ''}))}];
const before = set(sources(10000));
const after = set(sources(9500));
const pods = Array.from({length: 20000}, (_, i) => ({namespace: 'n', pod: `p${i}`, container: 'c', image: `reg${i % 53}.example.com/team${i % 10000}/app/sub@sha256:${'f'.repeat(64)}`}));
const pt = [];
let lost = 0;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  lost = podsLosingMirrors(pods, before, after).length;
  pt.push(performance.now() - t);
}
console.log(`pod check: 20,000 pod images x 10,000 entries: ${Math.min(...pt).toFixed(1)} ms in-process (best of 5), ${lost} images lose a mirror`);
