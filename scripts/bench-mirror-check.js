#!/usr/bin/env node
// mirror check bench: N digests (default 2,000) of one source mirrored to 3 registries on 127.0.0.1,
// each answering every request after 50 ms (test/support/fake-registry.ts). A third of the digests is on
// the first mirror, a third only on the second, a third only on the third, so a node (and mirror check)
// falls through 1, 2 or 3 mirrors. `mirror check --images FILE -f manifests --json` runs as a child
// process at --concurrency 16. Reports images/s, the wall time as a ratio to the ideal
// (requests x latency / concurrency; target <= 1.3) and the process's peak RSS for N/10 and N images
// (memory should stay flat). The probe phase (first request to last answer, without the CLI's start-up) is
// printed beside it, as bench-verify prints its node phase.
// Usage: node scripts/bench-mirror-check.js [--images 2000] [--concurrency 16] [--latency-ms 50] [--json] [--strict]
import {numberOption, watchProc} from './bench-util.js';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import {join, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {register} from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin', 'run.js');
const {FakeRegistry} = await import(join(root, 'test/support/fake-registry.ts'));

const args = process.argv.slice(2);
const opt = numberOption;
const IMAGES = opt('images', 2000);
const CONCURRENCY = opt('concurrency', 16);
const LATENCY = opt('latency-ms', 50);
const SOURCE = '127.0.0.1:9/bench';


async function run(n) {
  const mirrors = await Promise.all([0, 1, 2].map(() => FakeRegistry.start({latencyMs: LATENCY})));
  const dir = mkdtempSync(join(tmpdir(), 'bench-mirror-check-'));
  try {
    const refs = [];
    for (let i = 0; i < n; i++) refs.push(`${SOURCE}/app@${mirrors[i % 3].push('bench/app', `t${i}`, `image ${i}`)}`);
    writeFileSync(join(dir, 'images.txt'), refs.join('\n') + '\n');
    const hosts = mirrors.map((m) => m.host);
    writeFileSync(
      join(dir, 'manifests.yaml'),
      `apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    insecureRegistries: ${JSON.stringify([...hosts, '127.0.0.1:9'])}\n---\n` +
        `apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: bench}\nspec:\n  imageDigestMirrors:\n  - source: ${SOURCE}\n    mirrors: ${JSON.stringify(hosts.map((h) => `${h}/bench`))}\n    mirrorSourcePolicy: NeverContactSource\n`,
    );
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, 'mirror', 'check', '--images', join(dir, 'images.txt'), '-f', join(dir, 'manifests.yaml'), '--json', '--concurrency', String(CONCURRENCY)], {stdio: ['ignore', 'pipe', 'pipe']});
    const {stop} = watchProc(child.pid);
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise((r) => child.on('close', r));
    const wallMs = Date.now() - started;
    const {peak: peakRss, cpuSeconds} = stop();
    if (!out) throw new Error(`mirror check printed nothing (exit ${code}): ${err}`);
    const result = JSON.parse(out).result;
    const requests = mirrors.reduce((s, m) => s + m.log.length, 0);
    const idealMs = (requests * LATENCY) / CONCURRENCY;
    // The probe phase: from the first request's arrival to the last answer (the CLI's start-up excluded).
    const times = mirrors.flatMap((m) => m.log.map((l) => l.at));
    const phaseMs = Math.max(...times) - (Math.min(...times) - LATENCY);
    const r2 = (x) => Math.round(x * 100) / 100;
    return {
      images: n,
      exitCode: code,
      mirror: result.summary.mirror,
      requests,
      wallMs,
      idealMs,
      ratio: r2(wallMs / idealMs),
      phaseMs,
      phaseRatio: r2(phaseMs / idealMs),
      imagesPerSecond: Math.round((n / wallMs) * 1000),
      peakInflight: Math.max(...mirrors.map((m) => m.peakInflight)),
      peakRssMiB: Math.round((peakRss / 1048576) * 10) / 10,
      cpuSeconds,
    };
  } finally {
    await Promise.all(mirrors.map((m) => m.close()));
    rmSync(dir, {recursive: true, force: true});
  }
}

const small = await run(Math.max(30, Math.round(IMAGES / 10)));
const full = await run(IMAGES);
const result = {concurrency: CONCURRENCY, latencyMs: LATENCY, cpus: availableParallelism(), small, full, target: 1.3, ok: full.ratio <= 1.3 && full.exitCode === 0 && full.mirror === IMAGES};
if (args.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else {
  for (const r of [small, full]) {
    process.stdout.write(
      `mirror check ${r.images} digests on 3 mirrors x ${LATENCY} ms at --concurrency ${CONCURRENCY}: ${(r.wallMs / 1000).toFixed(2)} s end to end, ${r.imagesPerSecond} images/s; ` +
        `${r.requests} requests, ideal ${(r.idealMs / 1000).toFixed(2)} s, ratio ${r.ratio} (probe phase ${(r.phaseMs / 1000).toFixed(2)} s, ratio ${r.phaseRatio}); at most ${r.peakInflight} requests in flight per registry; mirror check CPU ${r.cpuSeconds} s; peak RSS ${r.peakRssMiB} MiB; exit ${r.exitCode}, ${r.mirror} from a mirror\n`,
    );
  }
  process.stdout.write(`target ratio <= 1.3 (${result.cpus} CPUs): ${result.ok ? 'ok' : 'MISSED'}; peak RSS ${small.peakRssMiB} -> ${full.peakRssMiB} MiB for ${small.images} -> ${full.images} images\n`);
}
if (args.includes('--strict') && !result.ok) process.exitCode = 1;
