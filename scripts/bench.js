#!/usr/bin/env node
// npm run bench: start-up and render-scaling figures, measured in one run, printed as ratios.
// Start-up: medians of interleaved rounds against `node -e 0` (absolute times drift; ratios do not).
// Render: 1,000 / 10,000 / 20,000 mirror entries, in-process (the render service) and end to end (the CLI).
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync, existsSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'run.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const time = (args) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {encoding: 'utf8', maxBuffer: 1 << 28});
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return performance.now() - t;
};

if (!existsSync(join(root, 'dist', 'commands'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

console.log(`# start-up (${rounds} interleaved rounds, medians)`);
const cases = {
  'node -e 0': ['-e', '0'],
  '--version': [bin, '--version'],
  '--help': [bin, '--help'],
  'render --help': [bin, 'render', '--help'],
  'render -f (small)': [bin, 'render', '-f', join(root, 'examples', 'blocklist.yaml')],
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const args of Object.values(cases)) time(args); // warm the file cache
for (let i = 0; i < rounds; i++) for (const [k, args] of Object.entries(cases)) samples[k].push(time(args));
const base = median(samples['node -e 0']);
for (const [k, xs] of Object.entries(samples)) {
  const m = median(xs);
  const target = k === 'node -e 0' || k.startsWith('render -f') ? '' : `  (target <= 3.0x: ${m / base <= 3 ? 'ok' : 'MISSED'})`;
  console.log(`${k.padEnd(18)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}x${target}`);
}

console.log('\n# render scaling (mirror entries: IDMS rules, 2 mirrors each, plus blocked and insecure scopes)');
const {renderMco} = await import(join(root, 'dist', 'render', 'mco.js'));
const {loadManifests} = await import(join(root, 'dist', 'model', 'manifests.js'));
const dir = mkdtempSync(join(tmpdir(), 'ocr-bench-'));
function manifest(n) {
  const rules = [];
  for (let i = 0; i < n; i++) {
    const src = `reg${i % 97}.example.com/team${i}/app`;
    rules.push(`  - source: ${src}\n    mirrors:\n    - mirror-a.example.com/team${i}/app\n    - mirror-b.example.com:5000/team${i}/app`);
  }
  return `apiVersion: config.openshift.io/v1\nkind: ClusterVersion\nmetadata:\n  name: version\nstatus:\n  desired:\n    image: quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}\n---\napiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    insecureRegistries: [mirror-b.example.com:5000]\n    blockedRegistries: [reg1.example.com/team1]\n---\napiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: big\nspec:\n  imageDigestMirrors:\n${rules.join('\n')}\n`;
}
const results = {};
for (const n of [1000, 10000, 20000]) {
  const file = join(dir, `mirrors-${n}.yaml`);
  writeFileSync(file, manifest(n));
  const {state} = loadManifests([{file, text: manifest(n)}]);
  const inproc = [];
  for (let i = 0; i < 7; i++) {
    globalThis.gc?.();
    const t = performance.now();
    const out = renderMco(state);
    inproc.push(performance.now() - t);
    if (out.error || out.files.length === 0) throw new Error(`render of ${n} entries failed: ${out.error?.message}`);
  }
  const cliTimes = [];
  for (let i = 0; i < 3; i++) cliTimes.push(time([bin, 'render', '-f', file, '--out', join(dir, `out-${n}-${i}`)]));
  // In-process: best of 7 after a GC (CPU-bound code; the minimum is the least noisy estimate on a shared machine).
  results[n] = {inproc: Math.min(...inproc), cli: median(cliTimes)};
  console.log(`${String(n).padStart(6)} entries: render ${results[n].inproc.toFixed(1).padStart(7)} ms in-process, ${results[n].cli.toFixed(1).padStart(7)} ms CLI (render --out) end to end${n === 20000 ? `  (target < 1000 ms: ${results[n].cli < 1000 ? 'ok' : 'MISSED'})` : ''}`);
}
const ratio = results[20000].inproc / results[10000].inproc;
const ratioCli = results[20000].cli / results[10000].cli;
// The target is judged on the command users run (render --out, end to end). The in-process figure is the
// render service alone; at 20k entries its working set outgrows the CPU caches and the young generation,
// so its ratio carries garbage-collection and cache effects (printed for information).
console.log(`10k -> 20k ratio: ${ratioCli.toFixed(2)} render --out end to end (target <= 2.2: ${ratioCli <= 2.2 ? 'ok' : 'MISSED'}); ${ratio.toFixed(2)} in-process service alone`);

for (const extra of readdirSync(join(root, 'scripts')).filter((f) => /^bench-.+\.js$/.test(f)).sort()) {
  console.log(`\n# ${extra}`);
  const r = spawnSync(process.execPath, [join(root, 'scripts', extra)], {stdio: 'inherit'});
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
