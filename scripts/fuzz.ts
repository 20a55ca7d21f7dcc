/**
 * The long fuzz run over manifests (`npm run fuzz [-- RUNS [SEED]]`): counts per
 * outcome (ok, validation error exit 2, other user error, crash exit 70) and the
 * slowest input. Any crash fails the run (exit 1) and prints the input.
 */
import fc from 'fast-check';
import {anyManifest, outcomeOf, type Outcome} from '../test/support/manifest-fuzz.js';

const runs = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const counts: Record<Outcome, number> = {ok: 0, validation: 0, other: 0, crash: 0};
const crashes: Array<{text: string; error: unknown}> = [];
let slowest = 0;
const t0 = performance.now();
for (const text of fc.sample(anyManifest, {numRuns: runs, seed})) {
  const t = performance.now();
  const r = outcomeOf(text);
  slowest = Math.max(slowest, performance.now() - t);
  counts[r.outcome]++;
  if (r.outcome === 'crash' && crashes.length < 5) crashes.push({text, error: r.error});
}
console.log(`fuzz: ${runs} manifests, seed ${seed}, ${((performance.now() - t0) / 1000).toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`);
console.log(`ok ${counts.ok}, validation error (exit 2) ${counts.validation}, other user error ${counts.other}, crash (exit 70) ${counts.crash}`);
for (const c of crashes) console.log(`crash: ${String((c.error as Error)?.stack ?? c.error)}\ninput: ${JSON.stringify(c.text)}`);
process.exitCode = counts.crash > 0 ? 1 : 0;
