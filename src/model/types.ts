/** Cluster objects as the tool sees them, whether read live or from manifests. */

export type MirrorSetKind = 'ImageContentSourcePolicy' | 'ImageDigestMirrorSet' | 'ImageTagMirrorSet';
export type MirrorSourcePolicy = '' | 'NeverContactSource' | 'AllowContactingSource';

export interface MirrorRule {
  source: string;
  /** undefined when the field is absent (ICSP `mirrors` may be null). */
  mirrors: string[];
  /** Always "" for ImageContentSourcePolicy, which has no such field. */
  mirrorSourcePolicy: MirrorSourcePolicy | string;
}

/** Where an object came from: `file:line` for manifests, the API path for live objects. */
export interface Origin {
  source?: string;
}

export interface MirrorSet extends Origin {
  kind: MirrorSetKind;
  name: string;
  rules: MirrorRule[];
}

export interface RegistrySources {
  allowedRegistries?: string[];
  blockedRegistries?: string[];
  insecureRegistries?: string[];
  containerRuntimeSearchRegistries?: string[];
}

export interface RegistryLocation {
  domainName: string;
  insecure?: boolean;
}

export interface ImageSpec {
  registrySources?: RegistrySources;
  allowedRegistriesForImport?: RegistryLocation[];
  externalRegistryHostnames?: string[];
  additionalTrustedCA?: {name?: string};
  imageStreamImportMode?: string;
}

export interface ImageConfig extends Origin {
  name: string;
  spec: ImageSpec;
  status?: {internalRegistryHostname?: string; externalRegistryHostnames?: string[]};
  resourceVersion?: string;
}

export interface ConfigMapObj extends Origin {
  name: string;
  namespace: string;
  data: Record<string, string>;
}

export interface MachineConfigPoolObj extends Origin {
  name: string;
  labels: Record<string, string>;
  /** matchLabels of spec.machineConfigSelector. */
  machineConfigSelector: Record<string, string>;
  /** matchExpressions values of spec.machineConfigSelector for the role key (custom pools use `In`). */
  machineConfigRoles: string[];
  status?: Record<string, unknown>;
}

export interface PolicyObj extends Origin {
  kind: 'ClusterImagePolicy' | 'ImagePolicy';
  name: string;
  namespace?: string;
  generation?: number;
  spec: Record<string, unknown>;
  /** The object's status as read (ImagePolicy conditions MCO wrote earlier). */
  status?: Record<string, unknown>;
}

/** Everything rendering needs, gathered from manifests or the cluster. */
export interface ClusterState {
  image?: ImageConfig;
  /** ClusterVersion status.desired.image; undefined when there is no ClusterVersion. */
  releaseImage?: string;
  /** ClusterVersion status.desired.version (the release a disruption prediction is for). */
  releaseVersion?: string;
  /** True when ClusterVersion `version` exists (MCO does nothing without it). */
  hasClusterVersion: boolean;
  mirrorSets: MirrorSet[];
  configMaps: ConfigMapObj[];
  pools: MachineConfigPoolObj[];
  policies: PolicyObj[];
}

export function emptyState(): ClusterState {
  return {hasClusterVersion: false, mirrorSets: [], configMaps: [], pools: [], policies: []};
}

/** A MachineConfigPool's rollout state, as verify and status report it. */
export interface PoolRollout {
  name: string;
  /** status.configuration.name: what the pool's nodes are on. */
  renderedConfig?: string;
  /** spec.configuration.name: what the pool is moving to. */
  targetConfig?: string;
  machineCount?: number;
  updatedMachineCount?: number;
  degradedMachineCount?: number;
  updating: boolean;
  degraded: boolean;
  degradedMessage?: string;
}

/** Only the rollout fields of a pool, without undefined ones (stable JSON). */
export function poolRollout(p: PoolRollout): PoolRollout {
  const out: PoolRollout = {name: p.name, updating: p.updating, degraded: p.degraded};
  for (const k of ['renderedConfig', 'targetConfig', 'machineCount', 'updatedMachineCount', 'degradedMachineCount', 'degradedMessage'] as const) {
    if (p[k] !== undefined && p[k] !== '') (out as unknown as Record<string, unknown>)[k] = p[k];
  }
  return out;
}
