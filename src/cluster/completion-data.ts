/**
 * Names for shell completion: pools, nodes and mirror sets from the manifests named with -f or
 * from the live cluster, and kubeconfig contexts. Each lookup may fail or be slow: the completion
 * service bounds it with a deadline and treats a failure as "no names".
 */
import {readFile} from 'node:fs/promises';
import {homedir} from 'node:os';
import {delimiter, join} from 'node:path';
import {parse} from 'yaml';
import {loadManifests, type LoadResult} from '../model/manifests.js';
import {BUILT_IN_POOLS} from '../render/evaluate.js';
import {readManifests} from './manifest-files.js';

/** Where the configuration comes from, as the command line being completed says. */
export interface SourceSelection {
  file?: string[];
  kubeconfig?: string;
  context?: string;
}

export interface MirrorSetName {
  kind: string;
  name: string;
}

export interface CompletionSources {
  pools(sel: SourceSelection): Promise<string[]>;
  nodes(sel: SourceSelection): Promise<string[]>;
  mirrorSets(sel: SourceSelection): Promise<MirrorSetName[]>;
  contexts(sel: SourceSelection): Promise<string[]>;
}

/** Manifests named with -f (standard input is never read while completing). */
async function fromFiles(sel: SourceSelection): Promise<LoadResult['state'] | undefined> {
  const files = (sel.file ?? []).filter((f) => f !== '-');
  if (files.length === 0) return undefined;
  return loadManifests(await readManifests(files)).state;
}

async function poolNames(sel: SourceSelection): Promise<string[]> {
  const state = await fromFiles(sel);
  if (state) return state.pools.length > 0 ? state.pools.map((p) => p.name) : BUILT_IN_POOLS;
  const [{connect}, {listPools}] = await Promise.all([import('./kube.js'), import('./machine-state.js')]);
  return (await listPools(await connect(sel))).map((p) => p.name);
}

async function nodeNames(sel: SourceSelection): Promise<string[]> {
  const [{connect}, {listNodes}] = await Promise.all([import('./kube.js'), import('./machine-state.js')]);
  return (await listNodes(await connect(sel))).map((n) => n.name);
}

const MIRROR_RESOURCES = [
  {group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets', kind: 'ImageDigestMirrorSet'},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagetagmirrorsets', kind: 'ImageTagMirrorSet'},
  {group: 'operator.openshift.io', version: 'v1alpha1', plural: 'imagecontentsourcepolicies', kind: 'ImageContentSourcePolicy'},
];

async function mirrorSetNames(sel: SourceSelection): Promise<MirrorSetName[]> {
  const state = await fromFiles(sel);
  if (state) return state.mirrorSets.map((s) => ({kind: s.kind, name: s.name}));
  const {connect} = await import('./kube.js');
  const kube = await connect(sel);
  const api = kube.config.makeApiClient(kube.mod.CustomObjectsApi);
  const lists = await Promise.all(
    MIRROR_RESOURCES.map(async (r) => {
      // A kind the cluster does not serve (or may not list) has no names to offer.
      const list = (await api.listClusterCustomObject({group: r.group, version: r.version, plural: r.plural}).catch(() => ({}))) as {items?: Array<{metadata?: {name?: string}}>};
      return (list.items ?? []).flatMap((o) => (o.metadata?.name ? [{kind: r.kind, name: o.metadata.name}] : []));
    }),
  );
  return lists.flat();
}

/** Context names of the kubeconfig files kubectl would read (read as YAML: no Kubernetes client needed). */
async function contextNames(sel: SourceSelection): Promise<string[]> {
  const files = sel.kubeconfig ? [sel.kubeconfig] : process.env.KUBECONFIG ? process.env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  const names: string[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => '');
    const doc = (text ? parse(text) : undefined) as {contexts?: Array<{name?: unknown}>} | undefined;
    for (const c of doc?.contexts ?? []) if (typeof c?.name === 'string') names.push(c.name);
  }
  return names;
}

export const completionSources: CompletionSources = {pools: poolNames, nodes: nodeNames, mirrorSets: mirrorSetNames, contexts: contextNames};
