/**
 * What the API server refuses (openshift/api CRD schemas and CEL rules at the
 * vendored version), checked before anything is written. MCO's own checks live
 * in render/mco.ts and run as part of rendering.
 */
import type {Problem} from '../lib/errors.js';
import {explainBadScope, mirrorPattern, sourcePattern} from './scope.js';
import type {ClusterState, MirrorSet} from './types.js';

const MAX_ITEMS = 1024;

function checkScopes(list: string[] | undefined, field: string, source: string | undefined, out: Problem[]): void {
  if (list === undefined) return;
  if (list.length > MAX_ITEMS) out.push({field, message: `has ${list.length} entries; the API server allows at most ${MAX_ITEMS}`, source});
  list.forEach((s, i) => {
    if (s.length === 0 || s.length > 256 || !sourcePattern.test(s)) out.push({field: `${field}[${i}]`, value: s, message: explainBadScope(s), source});
  });
}

function duplicates(list: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const x of list) (seen.has(x) ? dup : seen).add(x);
  return [...dup];
}

export function validateImage(state: ClusterState): Problem[] {
  const out: Problem[] = [];
  const img = state.image;
  if (!img) return out;
  const src = img.source;
  const rs = img.spec.registrySources;
  if (rs) {
    if (rs.allowedRegistries !== undefined && rs.blockedRegistries !== undefined) {
      out.push({field: 'spec.registrySources', message: 'only one of blockedRegistries or allowedRegistries may be set (the API server rejects both)', source: src});
    }
    checkScopes(rs.allowedRegistries, 'spec.registrySources.allowedRegistries', src, out);
    checkScopes(rs.blockedRegistries, 'spec.registrySources.blockedRegistries', src, out);
    checkScopes(rs.insecureRegistries, 'spec.registrySources.insecureRegistries', src, out);
    const search = rs.containerRuntimeSearchRegistries;
    if (search !== undefined) {
      if (search.length === 0) out.push({field: 'spec.registrySources.containerRuntimeSearchRegistries', message: 'must have at least 1 item; remove the field to use the default search list', source: src});
      for (const d of duplicates(search)) out.push({field: 'spec.registrySources.containerRuntimeSearchRegistries', value: d, message: 'is listed twice; the list is a set', source: src});
      // The CRD puts `format: hostname` on the array, where the API server does not apply it: entries are not checked.
    }
  }
  (img.spec.allowedRegistriesForImport ?? []).forEach((loc, i) => {
    if (!loc || typeof loc.domainName !== 'string' || loc.domainName === '') out.push({field: `spec.allowedRegistriesForImport[${i}].domainName`, message: 'is required', source: src});
  });
  return out;
}

function listField(set: MirrorSet): string {
  return set.kind === 'ImageContentSourcePolicy' ? 'repositoryDigestMirrors' : set.kind === 'ImageDigestMirrorSet' ? 'imageDigestMirrors' : 'imageTagMirrors';
}

export function validateMirrorSets(state: ClusterState): Problem[] {
  const out: Problem[] = [];
  for (const set of state.mirrorSets) {
    const base = `${set.kind}/${set.name} spec.${listField(set)}`;
    set.rules.forEach((r, i) => {
      const f = `${base}[${i}]`;
      if (r.source === '') out.push({field: `${f}.source`, message: 'is required', source: set.source});
      // ICSP has no pattern in its CRD: MCO's own check (reported while rendering) is its only gate.
      if (set.kind === 'ImageContentSourcePolicy') return;
      if (r.source !== '' && !sourcePattern.test(r.source)) out.push({field: `${f}.source`, value: r.source, message: explainBadScope(r.source), source: set.source});
      r.mirrors.forEach((m, j) => {
        if (!mirrorPattern.test(m)) out.push({field: `${f}.mirrors[${j}]`, value: m, message: explainBadScope(m, false), source: set.source});
      });
      for (const d of duplicates(r.mirrors)) out.push({field: `${f}.mirrors`, value: d, message: 'is listed twice; mirrors is a set', source: set.source});
      if (r.mirrorSourcePolicy !== '' && r.mirrorSourcePolicy !== 'NeverContactSource' && r.mirrorSourcePolicy !== 'AllowContactingSource') {
        out.push({field: `${f}.mirrorSourcePolicy`, value: r.mirrorSourcePolicy, message: 'must be NeverContactSource or AllowContactingSource', source: set.source});
      }
    });
  }
  return out;
}

/** Every API-server-level problem in the state. */
export function validateState(state: ClusterState): Problem[] {
  return [...validateImage(state), ...validateMirrorSets(state)];
}
