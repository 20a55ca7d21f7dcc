/**
 * One command over many kubeconfig contexts: each context runs the command's own
 * single-cluster function, at most `concurrency` at a time (the node concurrency of
 * verify stays per cluster). A failure in one context is that context's result
 * (its exit code and message), never an abort of the others.
 *
 * The overall exit code is the worst one, in this order (most severe first):
 *   70 bug > 130 interrupted > 2 usage/validation > 4 conflict > 3 cluster error (unreachable)
 *   > 1 drift > 5 partial > 0 ok.
 * A context that could not be checked at all (3) outranks drift found elsewhere (1): a script
 * reading 1 may assume every cluster was looked at. Partial (5) ranks below drift (1), as it does
 * for nodes within one cluster.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import type {Warning} from '../model/warnings.js';
import {mapLimit} from '../lib/concurrency.js';
import {semaphore} from '../lib/semaphore.js';
import {selectContexts, type ContextSelection, type ContextTarget} from '../cluster/contexts.js';

export type {ContextSelection, ContextTarget};

/** Most severe first; codes not listed rank just below 70. */
export const EXIT_SEVERITY: readonly number[] = [ExitCode.internal, 130, ExitCode.usage, ExitCode.conflict, ExitCode.cluster, ExitCode.drift, ExitCode.partial, ExitCode.ok];

function rank(code: number): number {
  const i = EXIT_SEVERITY.indexOf(code);
  return i < 0 ? 0.5 : i;
}

/** The worst of some exit codes (0 for none). */
export function worstExitCode(codes: number[]): number {
  return codes.reduce((worst, c) => (rank(c) < rank(worst) ? c : worst), ExitCode.ok as number);
}

export interface ClusterOutcome<R> {
  context: string;
  server: string;
  /** The exit code this context would have given alone. */
  status: number;
  /** The single-cluster result, or null when the context failed. */
  result: R | null;
  /** Why the context failed (status 2, 3, 70, ...). */
  error?: {name: string; message: string; hint?: string};
  warnings: Warning[];
}

export interface MultiClusterResult<R> {
  clusters: Array<ClusterOutcome<R>>;
}

/** Waits for one of the `concurrency` slots of the heavy phase; resolves with its release. */
export type PhaseGate = () => Promise<() => void>;

export interface PerContext<R> {
  (target: ContextTarget, warn: (w: Warning) => void, gate: PhaseGate): Promise<{status: number; result: R}>;
}

export interface MultiClusterOptions {
  /** Clusters worked on at the same time (with `gated`: clusters in their heavy phase at the same time). */
  concurrency: number;
  /**
   * The function calls `gate` before its heavy phase (verify: the node reads): up to `concurrency` more
   * contexts then do their light first phase (API reads, render) ahead of time, so a free slot never
   * waits for a cluster's API reads.
   */
  gated?: boolean;
  /** Called as each context finishes (for progress). */
  onDone?: (outcome: ClusterOutcome<unknown>, done: number, total: number) => void;
}

/** Run `fn` for each target; outcomes keep the order of the targets. */
export async function runOnContexts<R>(targets: ContextTarget[], opts: MultiClusterOptions, fn: PerContext<R>): Promise<{result: MultiClusterResult<R>; status: number}> {
  let done = 0;
  const slots = semaphore(opts.concurrency);
  const gate: PhaseGate = opts.gated ? slots : async () => () => {};
  const clusters = await mapLimit(targets, opts.gated ? opts.concurrency * 2 : opts.concurrency, async (t): Promise<ClusterOutcome<R>> => {
    const warnings: Warning[] = [];
    const warn = (w: Warning) => void warnings.push(w);
    let outcome: ClusterOutcome<R>;
    try {
      let release: (() => void) | undefined;
      const r = await fn(t, warn, async () => (release = await gate())).finally(() => release?.());
      outcome = {context: t.context, server: t.server, status: r.status, result: r.result, warnings};
    } catch (e) {
      const err = e as Error & {hint?: string};
      const message = err.message ?? String(e);
      outcome = {context: t.context, server: t.server, status: e instanceof UserError ? e.exitCode : ExitCode.internal, result: null, error: {name: err.name || 'Error', message, ...(err.hint ? {hint: err.hint} : {})}, warnings};
    }
    done++;
    opts.onDone?.(outcome, done, targets.length);
    return outcome;
  });
  return {result: {clusters}, status: worstExitCode(clusters.map((c) => c.status))};
}

/** Resolve the contexts, then run. */
export async function runMultiCluster<R>(sel: ContextSelection, opts: MultiClusterOptions, fn: PerContext<R>): Promise<{result: MultiClusterResult<R>; status: number}> {
  return runOnContexts(await selectContexts(sel), opts, fn);
}
