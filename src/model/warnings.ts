/**
 * Configuration warnings of cli.md: things the API server and MCO accept that
 * break or weaken a cluster. Pure; the same rules serve render, the editing
 * commands and status.
 */
import {clip} from '../lib/errors.js';
import {ART_REPO, payloadRepoOf} from './release.js';
import {scopeIsNestedInsideScope} from './scope.js';
import type {ClusterState} from './types.js';

export interface Warning {
  /** Stable identifier for scripts, e.g. `allowlist-missing-payload`. */
  code: string;
  message: string;
  field?: string;
  /** `change`: about the edit itself, not about the configuration it leaves (which any render of it reports). */
  about?: 'change';
}

export const DEFAULT_INTERNAL_REGISTRY = 'image-registry.openshift-image-registry.svc:5000';
const REDHAT_REGISTRY = 'registry.redhat.io';

/** Registries whose content is public: the one cluster-wide pull secret is offered to every search registry. */
export const PUBLIC_REGISTRIES = ['docker.io', 'quay.io', 'registry.redhat.io', 'registry.access.redhat.com', 'ghcr.io', 'gcr.io', 'registry.k8s.io', 'public.ecr.aws', 'mcr.microsoft.com', 'index.docker.io'];

const covered = (scope: string, list: string[]) => list.some((a) => scopeIsNestedInsideScope(scope, a));

/** Hosts that never leave the cluster network: insecure access to them is expected. */
function isClusterInternal(scope: string): boolean {
  const host = scope.replace(/^\*\./, '').split('/')[0]!.replace(/:\d+$/, '');
  return host.endsWith('.svc') || host.endsWith('.svc.cluster.local') || host === 'localhost' || /^127\./.test(host) || host === '[::1]';
}

/** Host names with upper-case letters: image references name hosts in lower case, so such an entry never matches. */
function upperCaseHosts(state: ClusterState): Warning[] {
  const out: Warning[] = [];
  const check = (value: string, where: string, field: string) => {
    if (!/[A-Z]/.test(value)) return;
    const host = value.replace(/^\*\./, '').split('/')[0]!;
    if (/[A-Z]/.test(host)) out.push({code: 'uppercase-host', field, message: `${where} ${JSON.stringify(clip(value))} has upper-case letters in its host: image references use lower-case host names, so this entry never matches (write ${JSON.stringify(clip(host.toLowerCase()))})`});
  };
  const rs = state.image?.spec.registrySources;
  for (const key of ['allowedRegistries', 'blockedRegistries', 'insecureRegistries', 'containerRuntimeSearchRegistries'] as const) {
    for (const v of rs?.[key] ?? []) check(v, `${key} entry`, `spec.registrySources.${key}`);
  }
  for (const set of state.mirrorSets) {
    const [source, mirror, mirrors] = ['source', 'mirror', 'mirrors'].map((w) => `${set.kind}/${set.name} ${w}`) as [string, string, string];
    for (const r of set.rules) {
      check(r.source, source, source);
      for (const m of r.mirrors) check(m, mirror, mirrors);
    }
  }
  return out;
}

export function configurationWarnings(state: ClusterState): Warning[] {
  const out: Warning[] = upperCaseHosts(state);
  const rs = state.image?.spec.registrySources;
  if (!rs) return out;
  const internal = state.image?.status?.internalRegistryHostname || DEFAULT_INTERNAL_REGISTRY;
  const allowed = rs.allowedRegistries;
  if (allowed && allowed.length > 0) {
    const field = 'spec.registrySources.allowedRegistries';
    const payload = payloadRepoOf(state.releaseImage);
    for (const repo of new Set([payload, ART_REPO])) {
      if (!covered(repo, allowed)) {
        out.push({code: 'allowlist-missing-payload', field, message: `allowedRegistries does not cover ${repo}: nodes can no longer pull the cluster's own release images (add quay.io or ${repo})`});
      }
    }
    if (!covered(REDHAT_REGISTRY, allowed)) {
      out.push({code: 'allowlist-missing-redhat', field, message: `allowedRegistries does not include ${REDHAT_REGISTRY}: Red Hat operator and product images will be rejected`});
    }
    if (!covered(internal, allowed)) {
      out.push({code: 'allowlist-missing-internal', field, message: `allowedRegistries does not include the internal registry ${internal}: builds and image streams that pull from it will fail`});
    }
    for (const ins of rs.insecureRegistries ?? []) {
      if (!covered(ins, allowed)) out.push({code: 'insecure-not-allowed', field: 'spec.registrySources.insecureRegistries', message: `insecure registry ${ins} is not on allowedRegistries: pulls from it are rejected by policy.json anyway`});
    }
    for (const s of rs.containerRuntimeSearchRegistries ?? []) {
      if (!covered(s, allowed)) out.push({code: 'search-not-allowed', field: 'spec.registrySources.containerRuntimeSearchRegistries', message: `search registry ${clip(s)} is not on allowedRegistries: short names resolved through it are rejected by policy.json`});
    }
    const mirrors = new Set(state.mirrorSets.flatMap((s) => s.rules.flatMap((r) => r.mirrors)));
    for (const m of mirrors) {
      if (!covered(m, allowed)) {
        out.push({code: 'allowlist-missing-mirror', field, message: `mirror ${m} is not on allowedRegistries: pulls through it still work (policy.json judges the source name), but direct pulls of ${m} are rejected`});
      }
    }
  }
  for (const b of rs.blockedRegistries ?? []) {
    for (const critical of ['quay.io', REDHAT_REGISTRY]) {
      if (scopeIsNestedInsideScope(critical, b)) {
        out.push({code: 'blocked-critical', field: 'spec.registrySources.blockedRegistries', message: `blockedRegistries entry ${b} blocks ${critical}, which serves the release payload and Red Hat operators`});
      }
    }
  }
  for (const s of rs.containerRuntimeSearchRegistries ?? []) {
    if (!/^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9.-]+)(:\d+)?$/.test(s)) {
      out.push({code: 'search-not-a-host', field: 'spec.registrySources.containerRuntimeSearchRegistries', message: `search registry ${JSON.stringify(clip(s))} is not a host[:port]: neither the API server nor MCO checks it, and short-name pulls through it will fail`});
    }
    if (PUBLIC_REGISTRIES.includes(s)) {
      out.push({code: 'search-public-registry', field: 'spec.registrySources.containerRuntimeSearchRegistries', message: `search registry ${s} is public: short names may resolve to an image anyone can publish, and the cluster's one pull secret is offered to it`});
    }
  }
  for (const ins of rs.insecureRegistries ?? []) {
    if (!isClusterInternal(ins)) {
      out.push({code: 'insecure-external', field: 'spec.registrySources.insecureRegistries', message: `insecure registry ${ins} is reached without TLS verification: anyone on the path can substitute images`});
    }
  }
  return out;
}
