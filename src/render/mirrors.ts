/**
 * Rendering questions about mirror sets: what nodes see (merged pull order), whether
 * two configurations render the same node files (the `mirror migrate` proof), and
 * whether blocking a scope would be silently dropped by MCO because the release payload has no usable mirror.
 * Pure: state in, answers out.
 */
import {ASSUMED_RELEASE_IMAGE} from '../model/release.js';
import {parseNamed, refName, type ImageReference} from '../model/reference.js';
import type {RegistriesConf} from '../model/registries-conf.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import {findRegistry, loadRegistries, pullSources} from '../model/sysregistries.js';
import type {ClusterState, MirrorSet} from '../model/types.js';
import {editRegistriesConfig, mergedDigestMirrorSets, mergedTagMirrorSets} from './edit-registries.js';


/** How a node pulls from one source: mirrors in the order it tries them, across all objects. */
export interface EffectiveMirrors {
  source: string;
  mirrors: Array<{location: string; pullFromMirror: 'digest-only' | 'tag-only'}>;
  /** NeverContactSource with a real mirror: registries.conf marks the source blocked. */
  sourceBlocked: boolean;
}

/** The merged, ordered view MCO writes (digest mirrors first, then tag mirrors), by source. */
export function effectiveMirrors(sets: MirrorSet[]): EffectiveMirrors[] {
  const by = new Map<string, EffectiveMirrors>();
  const get = (s: string) => {
    let e = by.get(s);
    if (!e) by.set(s, (e = {source: s, mirrors: [], sourceBlocked: false}));
    return e;
  };
  for (const m of mergedDigestMirrorSets(sets)) {
    const e = get(m.source);
    e.sourceBlocked ||= m.neverContactSource;
    e.mirrors.push(...m.mirrors.map((location) => ({location, pullFromMirror: 'digest-only' as const})));
  }
  for (const m of mergedTagMirrorSets(sets)) {
    const e = get(m.source);
    e.sourceBlocked ||= m.neverContactSource;
    e.mirrors.push(...m.mirrors.map((location) => ({location, pullFromMirror: 'tag-only' as const})));
  }
  return [...by.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

export interface FileDifference {
  path: string;
  diff: string;
}

export interface EquivalenceProof {
  /** True when every node file renders byte-identical before and after. */
  identical: boolean;
  /** registries.conf after the change (the node's view). */
  registriesConf: string;
  differences: FileDifference[];
  /** MCO refuses one of the two states: the message, before/after. */
  errorBefore?: string;
  errorAfter?: string;
}

/** Why blocking a scope would be refused, and how to fix it. */
export interface PayloadBlockCheck {
  scope: string;
  /** The release payload repository (ClusterVersion status.desired.image without tag or digest). */
  payloadRepo: string;
  /** The scope covers the payload repository. */
  coversPayload: boolean;
  /** MCO would drop the scope (or refuse the sync): do not write it. */
  refused: boolean;
  /** Why, in sentences an admin can act on. */
  reason?: string;
  /** The command that makes the block effective (add a digest mirror for the payload). */
  command?: string;
  /** Digest mirrors the payload has, and whether each is usable (not itself blocked). */
  mirrors: Array<{location: string; blockedBy?: string}>;
  /** Things that happen when the block is accepted and are worth knowing. */
  notes: string[];
}

function digestMirrorsOf(payload: ImageReference, sets: MirrorSet[], blocked: string[]): Array<{location: string; blockedBy?: string}> {
  const conf: RegistriesConf = {shortNameMode: '', additionalLayerStoreAuthHelper: '', registries: []};
  editRegistriesConfig(conf, [], blocked, sets.filter((s) => s.kind !== 'ImageTagMirrorSet'));
  const reg = findRegistry(loadRegistries(conf), refName(payload));
  if (!reg) return [];
  return pullSources(reg, payload)
    .filter((s) => !s.isSource)
    .map((s) => {
      const name = refName(s.reference);
      const by = blocked.find((b) => scopeIsNestedInsideScope(name, b));
      return {location: s.endpoint.location, ...(by ? {blockedBy: by} : {})};
    });
}

/** A mirror location for the payload built from a mirror registry the cluster already uses, else a placeholder. */
function suggestedMirror(payloadRepo: string, sets: MirrorSet[], blocked: string[]): string {
  const path = payloadRepo.slice(payloadRepo.indexOf('/') + 1);
  for (const s of sets) {
    if (s.kind === 'ImageTagMirrorSet') continue;
    for (const r of s.rules) {
      for (const m of r.mirrors) {
        const host = m.split('/')[0]!;
        if (!blocked.some((b) => scopeIsNestedInsideScope(`${host}/${path}`, b))) return `${host}/${path}`;
      }
    }
  }
  return `MIRROR_REGISTRY/${path}`;
}

/**
 * Would MCO drop `scope` from blockedRegistries? MCO keeps a blocked scope
 * that covers the release payload only when the payload has a digest mirror
 * (ICSP/IDMS; tag mirrors do not count) outside every blocked scope
 * (helpers.go getValidBlockedAndAllowedRegistries / payloadRepoHasUnblockedMirror);
 * otherwise it logs the error at V(2) and carries on without the scope.
 * Two covering scopes with a mirror make MCO refuse the whole sync instead.
 */
export function payloadBlockRefusal(state: ClusterState, scope: string): PayloadBlockCheck {
  const releaseImage = state.releaseImage ?? ASSUMED_RELEASE_IMAGE;
  let payload: ImageReference;
  try {
    payload = parseNamed(releaseImage);
  } catch {
    return {scope, payloadRepo: releaseImage, coversPayload: false, refused: true, reason: `the release image ${releaseImage} does not parse: MCO stops every sync before reading blockedRegistries`, mirrors: [], notes: []};
  }
  const payloadRepo = refName(payload);
  const current = state.image?.spec.registrySources?.blockedRegistries ?? [];
  const blocked = current.includes(scope) ? current : [...current, scope];
  const base: PayloadBlockCheck = {scope, payloadRepo, coversPayload: false, refused: false, mirrors: [], notes: []};
  if (!scopeIsNestedInsideScope(payloadRepo, scope)) return base;
  let mirrors: Array<{location: string; blockedBy?: string}>;
  try {
    mirrors = digestMirrorsOf(payload, state.mirrorSets, blocked);
  } catch (e) {
    // MCO's payloadRepoHasUnblockedMirror fails the same way; the controller then logs it and drops every blocked entry.
    return {
      ...base,
      coversPayload: true,
      refused: true,
      reason: `MCO cannot work out the pull sources of the release payload ${payloadRepo} (${(e as Error).message}); it then logs the error and ignores every blockedRegistries entry. Fix the mirror sets for ${payloadRepo} first (each mirror must be a repository, e.g. host/path)`,
    };
  }
  const check: PayloadBlockCheck = {...base, coversPayload: true, mirrors};
  if (!mirrors.some((m) => !m.blockedBy)) {
    const tagOnly = state.mirrorSets.some((s) => s.kind === 'ImageTagMirrorSet' && s.rules.some((r) => scopeIsNestedInsideScope(payloadRepo, r.source) && r.mirrors.some((m) => m !== r.source)));
    const why =
      mirrors.length > 0
        ? `its digest mirrors are blocked too (${mirrors.map((m) => `${m.location} by ${m.blockedBy}`).join(', ')})`
        : tagOnly
          ? 'it has only tag mirrors (ImageTagMirrorSet), which do not count: the payload is pulled by digest'
          : 'it has no digest mirror (ImageDigestMirrorSet or ImageContentSourcePolicy)';
    const mirror = suggestedMirror(payloadRepo, state.mirrorSets, blocked);
    check.refused = true;
    check.reason = `${scope} covers the release payload repository ${payloadRepo}, and ${why}. MCO would silently drop this entry (it only logs "cannot block the repository being used by the payload"), so nodes would not block ${scope} at all. Mirror the payload first, to a registry outside the blocked scope`;
    check.command = `oc registries mirror add ${payloadRepo} ${mirror}`;
    return check;
  }
  const covering = blocked.filter((b) => scopeIsNestedInsideScope(payloadRepo, b));
  if (covering.length > 1) {
    check.refused = true;
    check.reason = `${covering.join(' and ')} both cover the release payload repository ${payloadRepo}: MCO appends the payload to its internal allow list once per covering scope and then fails the whole sync with "only one of AllowedRegistries or BlockedRegistries may be specified"; keep only one of them`;
    return check;
  }
  if (scope === payloadRepo && covering.length === 1 && current.filter((b) => b !== scope).length === 0) {
    check.notes.push(`blocking exactly ${payloadRepo} turns policy.json into an allow list (default reject, only ${payloadRepo} accepted): MCO adds the payload to allowedRegistries and drops the scope from the policy's blocked list`);
  }
  check.notes.push(`nodes pull the payload by digest from ${mirrors.filter((m) => !m.blockedBy).map((m) => m.location).join(', ')}; registries.conf marks ${scope} blocked = true and keeps its mirrors`);
  return check;
}
