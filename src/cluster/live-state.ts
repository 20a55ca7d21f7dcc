/** Reading the registry configuration objects from a live cluster. */
import type {LoadResult} from '../model/manifests.js';
import {loadManifests} from '../model/manifests.js';
import {CA_NAMESPACE} from '../model/node-files.js';
import {clusterError, connect, statusOf, type Kube, type KubeOptions} from './kube.js';

interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  /** A single named object instead of a list. */
  name?: string;
}

export const RESOURCES: Resource[] = [
  {group: 'config.openshift.io', version: 'v1', plural: 'images', kind: 'Image', name: 'cluster'},
  {group: 'config.openshift.io', version: 'v1', plural: 'clusterversions', kind: 'ClusterVersion', name: 'version'},
  {group: 'operator.openshift.io', version: 'v1alpha1', plural: 'imagecontentsourcepolicies', kind: 'ImageContentSourcePolicy'},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagedigestmirrorsets', kind: 'ImageDigestMirrorSet'},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagetagmirrorsets', kind: 'ImageTagMirrorSet'},
  {group: 'config.openshift.io', version: 'v1', plural: 'clusterimagepolicies', kind: 'ClusterImagePolicy'},
  {group: 'config.openshift.io', version: 'v1', plural: 'imagepolicies', kind: 'ImagePolicy'},
  {group: 'machineconfiguration.openshift.io', version: 'v1', plural: 'machineconfigpools', kind: 'MachineConfigPool'},
  // Node disruption policies (4.17+); absent or unserved (404) on older clusters: the defaults apply.
  {group: 'operator.openshift.io', version: 'v1', plural: 'machineconfigurations', kind: 'MachineConfiguration', name: 'cluster'},
];

async function fetchResource(kube: Kube, r: Resource): Promise<Array<Record<string, unknown>>> {
  const api = kube.api(kube.mod.CustomObjectsApi);
  const what = `${r.name ? 'get' : 'list'} ${r.plural}.${r.group}${r.name ? `/${r.name}` : ''}`;
  try {
    if (r.name) {
      const o = (await api.getClusterCustomObject({group: r.group, version: r.version, plural: r.plural, name: r.name})) as Record<string, unknown>;
      return [{apiVersion: `${r.group}/${r.version}`, kind: r.kind, ...o}];
    }
    const list = (await api.listClusterCustomObject({group: r.group, version: r.version, plural: r.plural})) as {items?: Array<Record<string, unknown>>};
    return (list.items ?? []).map((o) => ({apiVersion: `${r.group}/${r.version}`, kind: r.kind, ...o}));
  } catch (e) {
    // A missing object, or an API the cluster does not serve (e.g. no sigstore CRDs), is simply absent.
    if (statusOf(e) === 404) return [];
    throw clusterError(kube, what, e);
  }
}

/** A named object to read as well (e.g. what `mirror apply` may replace); absent (404) is fine. */
export interface ExtraRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  name: string;
  namespace?: string;
}

async function fetchNamed(kube: Kube, r: ExtraRef): Promise<Record<string, unknown> | undefined> {
  try {
    if (r.group === '' && r.plural === 'configmaps') {
      const core = kube.config.makeApiClient(kube.mod.CoreV1Api);
      const cm = await core.readNamespacedConfigMap({name: r.name, namespace: r.namespace ?? 'default'});
      return {...(JSON.parse(JSON.stringify(cm)) as Record<string, unknown>), apiVersion: 'v1', kind: 'ConfigMap'};
    }
    const api = kube.config.makeApiClient(kube.mod.CustomObjectsApi);
    const base = {group: r.group, version: r.version, plural: r.plural, name: r.name};
    const o = (r.namespace ? await api.getNamespacedCustomObject({...base, namespace: r.namespace}) : await api.getClusterCustomObject(base)) as Record<string, unknown>;
    return {apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...o};
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw clusterError(kube, `get ${r.plural}${r.group ? `.${r.group}` : ''}/${r.name}${r.namespace ? ` in ${r.namespace}` : ''}`, e);
  }
}

export interface LiveState extends LoadResult {
  kube: Kube;
}

/**
 * Everything render needs, read from the current kubeconfig context. `extraConfigMaps`
 * names ConfigMaps in openshift-config to read as well (an edit may create one).
 */
export async function readLiveState(opts: KubeOptions, extraConfigMaps: string[] = [], connected?: Kube, extra: ExtraRef[] = []): Promise<LiveState> {
  const kube = connected ?? (await connect(opts));
  const groups = await Promise.all(RESOURCES.map((r) => fetchResource(kube, r)));
  const objects = groups.flat();
  for (const o of await Promise.all(extra.map((r) => fetchNamed(kube, r)))) if (o) objects.push(o);
  const image = objects.find((o) => o.kind === 'Image');
  const caName = (image?.spec as {additionalTrustedCA?: {name?: string}} | undefined)?.additionalTrustedCA?.name;
  for (const name of new Set([...(caName ? [caName] : []), ...extraConfigMaps])) {
    const core = kube.api(kube.mod.CoreV1Api);
    try {
      const cm = await core.readNamespacedConfigMap({name, namespace: CA_NAMESPACE});
      // Keep the metadata (resourceVersion) so an edit can write it back conditionally.
      const meta = JSON.parse(JSON.stringify(cm.metadata ?? {})) as Record<string, unknown>;
      objects.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {...meta, name, namespace: CA_NAMESPACE}, data: cm.data ?? {}});
    } catch (e) {
      if (statusOf(e) !== 404) throw clusterError(kube, `get configmaps/${name} in ${CA_NAMESPACE}`, e);
    }
  }
  const res = loadManifests([{file: kube.server, objects}]);
  return {...res, kube};
}
