/**
 * Running a read-only command on several clusters and printing it: each context's own
 * single-cluster output under a header, then one matrix (context x column, e.g. pool) with the
 * exit code each context would have given alone. Warnings go to stderr prefixed with the context.
 *
 * A command adopts it in three steps (verify, status, render and explain do; `mirror check` can):
 *   flags = {...sourceFlags, ...contextFlags, ...}                       (src/cli/context-flags.ts)
 *   if (isMultiCluster(flags)) {
 *     const fleet = await runFleet(this.io, flags, {section: (r) => text(r), cells: (r) => ({column: word})},
 *       (t, warn) => runOne({...opts, context: t.context, warn}).then((result) => ({status: exitOf(result), result})));
 *     this.status = fleet.status;
 *     return fleet.result;
 *   }
 *   ...the single-cluster path, unchanged, with context: singleContext(flags)
 */
import type {Warning} from '../model/warnings.js';
import {out, type Painter} from './output.js';
import {runMultiCluster, type ClusterOutcome, type MultiClusterResult, type PerContext} from '../services/multi-cluster.js';
import type {ContextFlagValues} from './context-flags.js';

export interface FleetView<R> {
  /** The single-cluster text output of one result. */
  section(result: R): string;
  /** The matrix cells of one result: column -> word (match, drift, pending, ...). */
  cells(result: R): Record<string, string>;
}

export interface FleetIo {
  json: boolean;
  p: Painter;
  warn(w: Warning): void;
}

const WORD_COLOUR: Record<string, keyof Painter> = {match: 'ok', drift: 'err', degraded: 'err', unreachable: 'err', error: 'err', pending: 'warn', partial: 'warn', unknown: 'warn'};

/** The matrix: one row per context, one column per key any context reported, then the exit code. */
export function formatMatrix<R>(clusters: Array<ClusterOutcome<R>>, cells: (r: R) => Record<string, string>, p: Painter): string {
  const rows = clusters.map((c) => ({c, cells: c.result !== null ? cells(c.result) : undefined}));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.cells ?? {})))].sort();
  if (columns.length === 0) columns.push('state');
  const failedWord = (c: ClusterOutcome<R>) => (c.status === 3 ? 'unreachable' : 'error');
  const table = [['CONTEXT', ...columns.map((c) => c.toUpperCase()), 'EXIT'], ...rows.map((r) => [r.c.context, ...columns.map((col) => (r.cells ? (r.cells[col] ?? '-') : failedWord(r.c))), String(r.c.status)])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row, ri) =>
      row
        .map((cell, i) => {
          const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i]!);
          if (ri === 0) return p.bold(padded);
          const colour = WORD_COLOUR[cell];
          return colour && i > 0 ? (p[colour] as (s: string) => string)(cell) + padded.slice(cell.length) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The text of a multi-cluster run: every context's section, then the matrix. */
export function formatFleet<R>(res: MultiClusterResult<R>, view: FleetView<R>, p: Painter): string {
  const blocks: string[] = [];
  for (const c of res.clusters) {
    const head = p.bold(`=== ${c.context}`) + p.dim(`  ${c.server}  (exit ${c.status})`);
    const body = c.result !== null ? view.section(c.result) : `${p.err('error: ')}${c.error?.message ?? 'failed'}${c.error?.hint ? `\n${p.dim(`hint: ${c.error.hint}`)}` : ''}`;
    blocks.push(`${head}\n${body.replace(/\n+$/, '')}`);
  }
  blocks.push(p.bold(`clusters (${res.clusters.length})`) + '\n' + formatMatrix(res.clusters, view.cells, p));
  return blocks.join('\n\n');
}

/**
 * Run `fn` on the selected contexts and print (text mode). Returns the JSON result
 * (`{clusters: [{context, server, status, result, ...}]}`) and the worst exit code.
 */
export async function runFleet<R>(io: FleetIo, flags: ContextFlagValues, view: FleetView<R>, fn: PerContext<R>, gated = false): Promise<{result: MultiClusterResult<R>; status: number}> {
  const progress = process.stderr.isTTY && !io.json;
  const run = await runMultiCluster(
    {kubeconfig: flags.kubeconfig, contexts: flags.context, all: flags['all-contexts']},
    {
      concurrency: flags['cluster-concurrency'] ?? 4,
      gated,
      onDone: progress
        ? (_o, done, total) => process.stderr.write(done === total ? '\r\x1b[K' : `\r${done}/${total} clusters\x1b[K`)
        : undefined,
    },
    fn,
  );
  for (const c of run.result.clusters) for (const w of c.warnings) io.warn({...w, message: `[${c.context}] ${w.message}`});
  if (!io.json) out(formatFleet(run.result, view, io.p));
  return run;
}
