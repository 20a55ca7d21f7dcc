/**
 * Live mode of the editing commands: write planned object changes with
 * optimistic concurrency. Updates carry the resourceVersion that was read, so a
 * concurrent writer makes the API server answer 409 Conflict; the caller then
 * re-reads and re-plans the same intent.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import {clusterError, statusOf, type Kube} from './kube.js';
import type {ObjectChange} from '../render/plan.js';

export interface ApiResource {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

/** Where each kind the editing commands write lives in the API. */
export const WRITE_RESOURCES: Record<string, ApiResource> = {
  Image: {group: 'config.openshift.io', version: 'v1', plural: 'images', namespaced: false},
  ImageDigestMirrorSet: {group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets', namespaced: false},
  ImageTagMirrorSet: {group: 'config.openshift.io', version: 'v1', plural: 'imagetagmirrorsets', namespaced: false},
  ImageContentSourcePolicy: {group: 'operator.openshift.io', version: 'v1alpha1', plural: 'imagecontentsourcepolicies', namespaced: false},
  ConfigMap: {group: '', version: 'v1', plural: 'configmaps', namespaced: true},
  // Passed through by `mirror apply --include-catalogs` (oc-mirror output).
  CatalogSource: {group: 'operators.coreos.com', version: 'v1alpha1', plural: 'catalogsources', namespaced: true},
  ClusterCatalog: {group: 'olm.operatorframework.io', version: 'v1', plural: 'clustercatalogs', namespaced: false},
  UpdateService: {group: 'updateservice.operator.openshift.io', version: 'v1', plural: 'updateservices', namespaced: true},
};

/** A write lost an optimistic-concurrency race (409): re-read and re-plan. */
export class WriteConflict extends Error {
  override name = 'WriteConflict';
  /** Earlier writes of the same plan that were undone before this was thrown. */
  rolledBack: string[] = [];
}

export interface Applied {
  kind: string;
  name: string;
  namespace?: string;
  action: 'create' | 'update' | 'delete';
  resourceVersion?: string;
}

export interface ApplyOptions {
  /** Server-side dry run (`?dryRun=All`): the API server validates and admits, stores nothing. */
  dryRun?: boolean;
}

function describe(ch: ObjectChange, r: ApiResource): string {
  const verb = ch.action === 'create' ? 'create' : ch.action === 'delete' ? 'delete' : 'update';
  const res = r.group ? `${r.plural}.${r.group}` : r.plural;
  return `${verb} ${res}/${ch.name}${ch.namespace ? ` in ${ch.namespace}` : ''}`;
}

function resourceOf(kind: string): ApiResource {
  const r = WRITE_RESOURCES[kind];
  if (!r) throw new Error(`no API mapping for ${kind}`);
  return r;
}

/** The body to send: no status (controllers write it), no managedFields. */
function bodyOf(o: Record<string, unknown> | undefined, keepVersion = true): Record<string, unknown> | undefined {
  if (!o) return undefined;
  const body = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  delete body.status;
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  delete meta.managedFields;
  if (!keepVersion) for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation']) delete meta[k];
  body.metadata = meta;
  return body;
}

/** One write. `dryRun` adds `?dryRun=All`; `precondition` guards a delete with the resourceVersion we wrote. */
async function write(kube: Kube, ch: ObjectChange, body: Record<string, unknown> | undefined, opts: {dryRun?: boolean; precondition?: string} = {}): Promise<unknown> {
  const r = resourceOf(ch.kind);
  const dry = opts.dryRun ? {dryRun: 'All'} : {};
  const del = opts.precondition ? {body: {preconditions: {resourceVersion: opts.precondition}}} : {};
  if (r.group === '' && r.plural === 'configmaps') {
    const core = kube.api(kube.mod.CoreV1Api);
    const namespace = ch.namespace ?? 'default';
    if (ch.action === 'create') return core.createNamespacedConfigMap({namespace, body: body as never, ...dry});
    if (ch.action === 'update') return core.replaceNamespacedConfigMap({name: ch.name, namespace, body: body as never, ...dry});
    return core.deleteNamespacedConfigMap({name: ch.name, namespace, ...dry, ...del});
  }
  const custom = kube.api(kube.mod.CustomObjectsApi);
  if (r.namespaced) {
    const nb = {group: r.group, version: r.version, plural: r.plural, namespace: ch.namespace ?? 'default'};
    if (ch.action === 'create') return custom.createNamespacedCustomObject({...nb, body: body!, ...dry});
    if (ch.action === 'update') return custom.replaceNamespacedCustomObject({...nb, name: ch.name, body: body!, ...dry});
    return custom.deleteNamespacedCustomObject({...nb, name: ch.name, ...dry, ...(del as object)});
  }
  const base = {group: r.group, version: r.version, plural: r.plural};
  if (ch.action === 'create') return custom.createClusterCustomObject({...base, body: body!, ...dry});
  if (ch.action === 'update') return custom.replaceClusterCustomObject({...base, name: ch.name, body: body!, ...dry});
  return custom.deleteClusterCustomObject({...base, name: ch.name, ...dry, ...(del as object)});
}

/**
 * Write the changes in order. A 409 (stale resourceVersion, or created meanwhile) throws WriteConflict.
 * When a later write fails, the earlier ones are undone (a created object deleted, an updated one
 * given its prior body, a deleted one created again), each guarded by the resourceVersion our write
 * produced; what could not be undone is reported as a PartialWriteError (exit 5) listing what is
 * applied, what is not, and what was rolled back.
 */
export async function applyLive(kube: Kube, changes: ObjectChange[], opts: ApplyOptions = {}): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const [i, ch] of changes.entries()) {
    const r = resourceOf(ch.kind);
    let res: unknown;
    try {
      res = await write(kube, ch, ch.action === 'delete' ? undefined : bodyOf(ch.after), {dryRun: opts.dryRun});
    } catch (e) {
      const failure = classify(kube, ch, r, e, opts, applied.length === 0);
      if (applied.length === 0 || opts.dryRun) throw failure;
      const {rollBack} = await import('./rollback.js');
      throw await rollBack(changes.slice(0, i), applied, changes.slice(i), failure, (c, b, o) => write(kube, c, b, o), bodyOf);
    }
    const rv = (res as {metadata?: {resourceVersion?: string}} | undefined)?.metadata?.resourceVersion;
    applied.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, action: ch.action, ...(rv ? {resourceVersion: rv} : {})});
  }
  return applied;
}

/** What a failed write means: a conflict to re-plan, a rejection (exit 2), or a cluster error (exit 3). */
function classify(kube: Kube, ch: ObjectChange, r: ApiResource, e: unknown, opts: ApplyOptions, first: boolean): Error {
  const code = statusOf(e);
  if (code === 409) return new WriteConflict(`${describe(ch, r)}: 409 Conflict`);
  if (code === 404 && ch.action !== 'create') return new WriteConflict(`${describe(ch, r)}: deleted meanwhile`);
  if (code === 422 || code === 400) {
    const how = opts.dryRun ? ' (server-side dry run; nothing was written)' : first ? '; nothing was changed' : '';
    return new UserError(`${describe(ch, r)}: the API server rejected the object: ${apiMessage(e)}${how}`, ExitCode.usage);
  }
  return clusterError(kube, describe(ch, r), e);
}

function apiMessage(e: unknown): string {
  const body = (e as {body?: unknown}).body;
  try {
    const o = (typeof body === 'string' ? JSON.parse(body) : body) as {message?: string};
    if (o?.message) return o.message;
  } catch {
    // not JSON
  }
  return (e as Error).message ?? String(e);
}
