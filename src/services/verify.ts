/**
 * verify, end to end: the rendered files (from the cluster or -f manifests), the
 * pools' MachineConfigs, and every selected node read through `oc` with bounded
 * concurrency and a per-node timeout. A node that fails is a result, never an abort.
 */
import {clock} from '../cluster/clock.js';
import {access, constants} from 'node:fs/promises';
import {delimiter, isAbsolute, join} from 'node:path';
import {UserError} from '../lib/errors.js';
import {mapLimit} from '../lib/concurrency.js';
import type {Warning} from '../model/warnings.js';
import {suggest} from '../model/suggest.js';
import {builtInPools} from '../render/evaluate.js';
import {renderService, type RenderResult} from './render.js';
import {buildReport, poolOfNode, type NodeReadInput, type PoolInput, type VerifyReport} from '../render/verify.js';
import {connect, type Kube} from '../cluster/kube.js';
import {listNodes, listPools, mcdPods, poolSummary, readPools} from '../cluster/machine-state.js';
import {ocClusterFlags, readNode, type Via} from '../cluster/node-files.js';
import {loadState, type SourceOptions} from '../cluster/source.js';

export interface VerifyOptions extends SourceOptions {
  pools?: string[];
  nodes?: string[];
  concurrency: number;
  timeoutMs: number;
  via: Via;
  oc?: string;
  releaseImage?: string;
  warn: (w: Warning) => void;
  onProgress?: (done: number, total: number) => void;
  /** Wait for a slot before reading the nodes (several clusters: bounds the clusters reading nodes at once). */
  beforeNodes?: () => Promise<() => void>;
  env?: NodeJS.ProcessEnv;
}

/** Find the oc binary like the shell would, so a missing oc is one clear error instead of N node failures. */
export async function findOc(oc: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const name = oc ?? 'oc';
  const candidates = name.includes('/') || isAbsolute(name) ? [name] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new UserError(oc ? `--oc ${oc}: not an executable file` : 'oc was not found on PATH', 2, oc ? undefined : 'install the OpenShift CLI or pass --oc PATH');
}

export interface VerifyRun {
  report: VerifyReport;
  render: RenderResult;
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyRun> {
  const started = clock().now();
  const ocPath = await findOc(opts.oc, opts.env);
  // The configuration and the machine state are read at the same time; nodes are read while the
  // (large) MachineConfigs are still being fetched.
  const kubeP = connect(opts);
  const machinesP = kubeP.then((k) => Promise.all([listPools(k), listNodes(k)]));
  machinesP.catch(() => {});
  const loaded = await loadState(opts);
  const render = renderService(loaded, {releaseImage: opts.releaseImage, allowInvalid: loaded.mode === 'live', warn: opts.warn});
  const kube: Kube = await kubeP;
  const [rawPools, allNodes] = await machinesP;
  if (opts.pools && opts.pools.length > 0) {
    const names = rawPools.map((p) => p.name);
    for (const p of opts.pools) {
      if (!names.includes(p)) {
        const s = suggest(p, names);
        throw new UserError(`--pool ${p}: no such MachineConfigPool${s ? `; did you mean ${s}?` : ''} (have: ${names.join(', ') || 'none'})`);
      }
    }
  }
  if (opts.nodes && opts.nodes.length > 0) {
    const names = allNodes.map((n) => n.name);
    for (const n of opts.nodes) {
      if (!names.includes(n)) {
        const s = suggest(n, names);
        throw new UserError(`--node ${n}: no such node${s ? `; did you mean ${s}?` : ''}`);
      }
    }
  }
  // Nodes belong to the pool MCO assigns them to, computed over all pools (selectors only).
  const shapes: PoolInput[] = rawPools.map((p) => ({...poolSummary(p), generatedMcName: ''}));
  const poolNameOf = new Map(allNodes.map((n) => [n.name, poolOfNode(n, shapes)?.name]));
  let nodes = allNodes;
  if (opts.nodes && opts.nodes.length > 0) nodes = nodes.filter((n) => opts.nodes!.includes(n.name));
  if (opts.pools && opts.pools.length > 0) nodes = nodes.filter((n) => opts.pools!.includes(poolNameOf.get(n.name) ?? ''));
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let wantedPools = rawPools.map((p) => p.name);
  if (opts.pools && opts.pools.length > 0) wantedPools = wantedPools.filter((p) => opts.pools!.includes(p));
  if (opts.nodes && opts.nodes.length > 0) wantedPools = wantedPools.filter((p) => nodes.some((n) => poolNameOf.get(n.name) === p));

  const poolsP = readPools(kube, rawPools, builtInPools(loaded.state));
  poolsP.catch(() => {});
  const mcd = opts.via === 'mcd' ? await mcdPods(kube) : new Map<string, string>();
  const extraPaths = render.files.map((f) => f.path);
  const ocFlags = ocClusterFlags(opts);
  const release = (await opts.beforeNodes?.()) ?? (() => {});
  let done = 0;
  opts.onProgress?.(0, nodes.length);
  const results = await mapLimit(nodes, opts.concurrency, async (n): Promise<[string, NodeReadInput]> => {
    const r = await readNode(n.name, {oc: ocPath, timeoutMs: opts.timeoutMs, via: opts.via, mcdPod: mcd.get(n.name), extraPaths, ocFlags, env: opts.env});
    done++;
    opts.onProgress?.(done, nodes.length);
    if (r.ok) return [n.name, {ok: true, files: r.read.files, unreadable: r.read.unreadable, hashes: r.read.hashes, elapsedMs: r.elapsedMs}];
    return [n.name, {ok: false, error: r.error, ...(r.hint ? {hint: r.hint} : {}), elapsedMs: r.elapsedMs, kind: r.kind}];
  });
  release();
  const pools = (await poolsP).filter((p) => wantedPools.includes(p.name));
  const pulls = results.filter(([, r]) => !r.ok && r.kind === 'image-pull').map(([n]) => n);
  if (pulls.length > 0) {
    opts.warn({code: 'debug-image-pull', message: `oc debug could not pull the debug pod image on ${pulls.length} node(s) (${pulls.slice(0, 3).join(', ')}${pulls.length > 3 ? ', ...' : ''}): the nodes may not be allowed to pull it (e.g. an allowlist without quay.io); retry with --via mcd`});
  }
  const report = buildReport({
    via: opts.via,
    expected: render.files,
    hasImageConfig: Boolean(loaded.state.image),
    pools,
    nodes,
    reads: new Map(results),
    internalRegistryHostname: loaded.state.image?.status?.internalRegistryHostname,
    elapsedMs: clock().now() - started,
  });
  return {report, render};
}
