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
}

export interface Applied {
  kind: string;
  name: string;
  namespace?: string;
  action: 'create' | 'update' | 'delete';
  resourceVersion?: string;
}

function describe(ch: ObjectChange, r: ApiResource): string {
  const verb = ch.action === 'create' ? 'create' : ch.action === 'delete' ? 'delete' : 'update';
  const res = r.group ? `${r.plural}.${r.group}` : r.plural;
  return `${verb} ${res}/${ch.name}${ch.namespace ? ` in ${ch.namespace}` : ''}`;
}

/** Write the changes in order. A 409 (stale resourceVersion, or created meanwhile) throws WriteConflict. */
export async function applyLive(kube: Kube, changes: ObjectChange[]): Promise<Applied[]> {
  const applied: Applied[] = [];
  const custom = kube.config.makeApiClient(kube.mod.CustomObjectsApi);
  const core = kube.config.makeApiClient(kube.mod.CoreV1Api);
  for (const ch of changes) {
    const r = WRITE_RESOURCES[ch.kind];
    if (!r) throw new Error(`no API mapping for ${ch.kind}`);
    const body = ch.after ? (JSON.parse(JSON.stringify(ch.after)) as Record<string, unknown>) : undefined;
    if (body) {
      // Status is written by controllers, never by us.
      delete body.status;
      const meta = (body.metadata ?? {}) as Record<string, unknown>;
      delete meta.managedFields;
      body.metadata = meta;
    }
    let res: unknown;
    try {
      if (r.group === '' && r.plural === 'configmaps') {
        const namespace = ch.namespace ?? 'default';
        if (ch.action === 'create') res = await core.createNamespacedConfigMap({namespace, body: body as never});
        else if (ch.action === 'update') res = await core.replaceNamespacedConfigMap({name: ch.name, namespace, body: body as never});
        else res = await core.deleteNamespacedConfigMap({name: ch.name, namespace});
      } else if (r.namespaced) {
        const base = {group: r.group, version: r.version, plural: r.plural, namespace: ch.namespace ?? 'default'};
        if (ch.action === 'create') res = await custom.createNamespacedCustomObject({...base, body: body!});
        else if (ch.action === 'update') res = await custom.replaceNamespacedCustomObject({...base, name: ch.name, body: body!});
        else res = await custom.deleteNamespacedCustomObject({...base, name: ch.name});
      } else {
        const base = {group: r.group, version: r.version, plural: r.plural};
        if (ch.action === 'create') res = await custom.createClusterCustomObject({...base, body: body!});
        else if (ch.action === 'update') res = await custom.replaceClusterCustomObject({...base, name: ch.name, body: body!});
        else res = await custom.deleteClusterCustomObject({...base, name: ch.name});
      }
    } catch (e) {
      const code = statusOf(e);
      if (code === 409) throw new WriteConflict(`${describe(ch, r)}: 409 Conflict`);
      if (code === 404 && ch.action !== 'create') throw new WriteConflict(`${describe(ch, r)}: deleted meanwhile`);
      if (code === 422 || code === 400) {
        const done = applied.length > 0 ? ` (already written: ${applied.map((a) => `${a.kind}/${a.name}`).join(', ')})` : '; nothing was changed';
        throw new UserError(`${describe(ch, r)}: the API server rejected the object: ${apiMessage(e)}${done}`, ExitCode.usage);
      }
      throw clusterError(kube, describe(ch, r), e);
    }
    const rv = (res as {metadata?: {resourceVersion?: string}} | undefined)?.metadata?.resourceVersion;
    applied.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, action: ch.action, resourceVersion: rv});
  }
  return applied;
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
