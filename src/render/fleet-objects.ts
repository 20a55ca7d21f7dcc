/**
 * The registry configuration objects handed to a fleet engine (ACM, kustomize / Argo CD):
 * Image `cluster`, every ImageDigestMirrorSet, ImageTagMirrorSet, ImageContentSourcePolicy,
 * ClusterImagePolicy and ImagePolicy, and the CA ConfigMap the Image names in openshift-config.
 * Without server-managed metadata and status (displayObject), without the release payload's own
 * annotations and owner references; in a fixed order, so the same input gives the same bytes.
 * Pure.
 */
import {CA_NAMESPACE} from '../model/node-files.js';
import type {LoadResult} from '../model/manifests.js';
import {displayObject} from './plan.js';

export const FLEET_KINDS = ['Image', 'ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy', 'ClusterImagePolicy', 'ImagePolicy', 'ConfigMap'] as const;

/** Annotation prefixes the release payload and clients put on objects; they describe one cluster, not the configuration. */
const CLUSTER_ANNOTATIONS = ['include.release.openshift.io/', 'release.openshift.io/', 'capability.openshift.io/', 'kubectl.kubernetes.io/', 'argocd.argoproj.io/'];

type Obj = Record<string, unknown>;

export interface FleetObject {
  kind: string;
  name: string;
  namespace?: string;
  body: Obj;
}

function clean(body: Obj): Obj {
  const out = displayObject(body);
  const meta = {...(out.metadata as Obj)};
  delete meta.ownerReferences;
  const ann = Object.entries((meta.annotations ?? {}) as Record<string, string>).filter(([k]) => !CLUSTER_ANNOTATIONS.some((p) => k.startsWith(p)));
  if (ann.length > 0) meta.annotations = Object.fromEntries(ann);
  else delete meta.annotations;
  if (meta.labels && Object.keys(meta.labels as Obj).length === 0) delete meta.labels;
  out.metadata = meta;
  return out;
}

export function fleetObjects(loaded: LoadResult): FleetObject[] {
  const caName = loaded.state.image?.spec.additionalTrustedCA?.name;
  const picked = loaded.objects.filter((o) => {
    if (o.kind === 'ConfigMap') return caName !== undefined && o.name === caName && o.namespace === CA_NAMESPACE;
    return (FLEET_KINDS as readonly string[]).includes(o.kind);
  });
  const order = (k: string) => (FLEET_KINDS as readonly string[]).indexOf(k);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return picked
    .map((o) => ({kind: o.kind, name: o.name, ...(o.namespace ? {namespace: o.namespace} : {}), body: clean(o.body)}))
    .sort((a, b) => order(a.kind) - order(b.kind) || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.name, b.name));
}
