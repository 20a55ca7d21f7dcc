/**
 * How containers/image (pkg/sysregistriesv2) picks the registries.conf entry for
 * a reference and the ordered pull sources it tries. Pure; used by MCO's payload
 * check and by `explain`.
 */
import {parseNamed, refName, refString, type ImageReference} from './reference.js';
import type {Endpoint, RegistriesConf, Registry} from './registries-conf.js';

export class RegistriesConfError extends Error {
  override name = 'RegistriesConfError';
}

/** An entry after containers/image post-processing: prefix always set. */
export interface LoadedRegistry extends Registry {
  /** The matching prefix: the wildcard, or the location. */
  matchPrefix: string;
}

function parseLocation(input: string): string {
  const trimmed = input.replace(/\/+$/, '');
  if (trimmed.startsWith('http://') || trimmed.startsWith('https://')) {
    throw new RegistriesConfError(`invalid location '${input}': URI schemes are not supported`);
  }
  return trimmed;
}

/** postProcessRegistries: trims trailing slashes, fills prefix, rejects what c/image refuses. */
export function loadRegistries(conf: RegistriesConf): LoadedRegistry[] {
  const byKey = new Map<string, LoadedRegistry[]>();
  const out: LoadedRegistry[] = [];
  for (const r of conf.registries) {
    let prefix = parseLocation(r.prefix);
    const location = parseLocation(r.location);
    if (prefix === '') {
      if (location === '') throw new RegistriesConfError('invalid condition: both location and prefix are unset');
      prefix = location;
    } else if (!prefix.startsWith('*.') && location === '') {
      throw new RegistriesConfError('invalid condition: location is unset and prefix is not in the format: *.example.com');
    }
    const mirrors: Endpoint[] = r.mirrors.map((m) => {
      const loc = parseLocation(m.location);
      if (loc === '') throw new RegistriesConfError('invalid condition: mirror location is unset');
      if (r.mirrorByDigestOnly && m.pullFromMirror !== '') {
        throw new RegistriesConfError(`cannot set mirror usage mirror-by-digest-only for the registry (${JSON.stringify(r.location)}) and pull-from-mirror for per-mirror (${JSON.stringify(loc)}) at the same time`);
      }
      return {...m, location: loc};
    });
    const loaded: LoadedRegistry = {...r, prefix: r.prefix === '' ? '' : prefix, location, mirrors, matchPrefix: prefix};
    const key = location === '' ? prefix : location;
    const same = byKey.get(key) ?? [];
    if (same.length > 0 && same[0]!.insecure !== loaded.insecure) {
      throw new RegistriesConfError(`registry '${key}' is defined multiple times with conflicting 'insecure' setting`);
    }
    if (same.length > 0 && same[0]!.blocked !== loaded.blocked) {
      throw new RegistriesConfError(`registry '${key}' is defined multiple times with conflicting 'blocked' setting`);
    }
    // loadConfigFile: a wildcard prefix must be exactly `*.domain`.
    if (prefix.startsWith('*.') && /[/@:]/.test(prefix)) {
      throw new RegistriesConfError(`Wildcarded prefix should be in the format: *.example.com. Current prefix ${JSON.stringify(prefix)} is incorrectly formatted`);
    }
    same.push(loaded);
    byKey.set(key, same);
    out.push(loaded);
  }
  return out;
}

/**
 * refMatchingPrefix: length of the match of `prefix` at the start of `ref`, or -1.
 * Note the upstream quirk: `example.com:5000/x` matches prefix `example.com`.
 */
export function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const index = ref.indexOf(prefix.slice(1));
    if (index === -1) return -1;
    if (ref.slice(0, index).includes('/')) return -1;
    const end = index + prefix.length - 1;
    if (end === ref.length) return end;
    return ':/@'.includes(ref[end]!) ? end : -1;
  }
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  return ':/@'.includes(ref[prefix.length]!) ? prefix.length : -1;
}

/** FindRegistry: the entry with the longest matching prefix, or undefined. */
export function findRegistry(registries: LoadedRegistry[], ref: string): LoadedRegistry | undefined {
  let best: LoadedRegistry | undefined;
  let bestLen = 0;
  for (const r of registries) {
    if (refMatchingPrefix(ref, r.matchPrefix) !== -1 && r.matchPrefix.length > bestLen) {
      best = r;
      bestLen = r.matchPrefix.length;
    }
  }
  return best;
}

export interface PullSource {
  endpoint: Endpoint;
  /** True for the entry's own location (the "source"), false for mirrors. */
  isSource: boolean;
  reference: ImageReference;
}

/** PullSourcesFromReference: mirrors that apply to this reference, then the location. */
export function pullSources(reg: LoadedRegistry, ref: ImageReference): PullSource[] {
  const digested = ref.digest !== undefined;
  const endpoints: Array<[Endpoint, boolean]> = [];
  if (reg.mirrorByDigestOnly) {
    if (digested) for (const m of reg.mirrors) endpoints.push([m, false]);
  } else {
    for (const m of reg.mirrors) {
      if (m.pullFromMirror === 'digest-only' && !digested) continue;
      if (m.pullFromMirror === 'tag-only' && digested) continue;
      endpoints.push([m, false]);
    }
  }
  endpoints.push([{location: reg.location, insecure: reg.insecure, pullFromMirror: ''}, true]);
  return endpoints.map(([endpoint, isSource]) => ({endpoint, isSource, reference: rewriteReference(reg, endpoint.location, ref)}));
}

/** Endpoint.rewriteReference: the reference as asked of an endpoint (its location replaces the matched prefix). */
export function rewriteReference(reg: LoadedRegistry, location: string, ref: ImageReference): ImageReference {
  const s = refString(ref);
  const n = refMatchingPrefix(s, reg.matchPrefix);
  if (n === -1) throw new RegistriesConfError(`invalid prefix '${reg.matchPrefix}' for reference '${s}'`);
  if (location === '') return ref;
  return parseNamed(location + s.slice(n));
}

export {refName};
