/**
 * The kubeconfig-context flags of the read-only commands (verify, status, render, explain,
 * mirror check): `--context` repeatable, `--all-contexts`, `--cluster-concurrency`. With one
 * `--context` (or none) a command runs exactly as on one cluster.
 */
import {Flags} from '@oclif/core';
import {UserError} from '../lib/errors.js';

export const contextFlags = {
  context: Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    description: 'Kubeconfig context to use. Repeat it to run on several clusters in parallel (a matrix at the end, result.clusters[] in JSON, the worst exit code).',
    helpGroup: 'CLUSTER',
  }),
  'all-contexts': Flags.boolean({description: 'Run on every context of the kubeconfig, in parallel.', helpGroup: 'CLUSTER', exclusive: ['context']}),
  'cluster-concurrency': Flags.integer({default: 4, min: 1, max: 100, description: 'Clusters worked on at the same time (with several contexts). verify: clusters reading nodes at once, while up to as many more read their API state ahead.', helpGroup: 'CLUSTER'}),
};

export interface ContextFlagValues {
  context?: string[];
  'all-contexts'?: boolean;
  'cluster-concurrency'?: number;
  file?: string[];
  kubeconfig?: string;
}

/** Several clusters: `--all-contexts` or more than one distinct `--context`. */
export function isMultiCluster(flags: ContextFlagValues): boolean {
  return Boolean(flags['all-contexts']) || new Set(flags.context ?? []).size > 1;
}

/** The one context of a single-cluster run (undefined: the kubeconfig's current context). */
export function singleContext(flags: ContextFlagValues): string | undefined {
  return flags.context?.[0];
}

/** For commands whose -f input replaces the cluster entirely: several contexts would all print the same. */
export function refuseFileWithContexts(flags: ContextFlagValues, command: string): void {
  if (isMultiCluster(flags) && flags.file && flags.file.length > 0) {
    throw new UserError(`${command} -f reads no cluster: --all-contexts / several --context have nothing to compare (drop -f to read each cluster's own configuration)`);
  }
}

/** The help text every multi-cluster command shares (appended to its description). */
export const MULTI_CLUSTER_HELP = `

Several clusters: --all-contexts, or --context repeated, runs on each kubeconfig context in parallel (--cluster-concurrency, default 4); a failing context never stops the others. The text output shows each context's own output, then a matrix (context x pool: match, drift, pending, partial, degraded, unreachable) with the exit code each context would give alone; --json gives result.clusters[] = {context, server, status, result, warnings[, error]}. The exit code is the worst one, most severe first: 70 > 2 > 4 > 3 (unreachable) > 1 (drift) > 5 (partial) > 0.`;
