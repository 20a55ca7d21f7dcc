/**
 * The in-memory shape of containers-registries.conf v2 (sysregistriesv2.V2RegistriesConf),
 * limited to what MCO writes and what a node consults. Pure data.
 */
export type PullFromMirror = '' | 'all' | 'digest-only' | 'tag-only';

export interface Endpoint {
  location: string;
  insecure: boolean;
  pullFromMirror: PullFromMirror;
}

export interface Registry {
  /** `*.domain` for wildcard entries, "" otherwise (MCO always writes the key). */
  prefix: string;
  /** Repository or host the entry is for; "" for wildcard entries. */
  location: string;
  insecure: boolean;
  blocked: boolean;
  /** Old per-registry form (releases before 4.13). Never written by current MCO. */
  mirrorByDigestOnly?: boolean;
  mirrors: Endpoint[];
}

export interface RegistriesConf {
  unqualifiedSearchRegistries?: string[];
  shortNameMode: string;
  additionalLayerStoreAuthHelper: string;
  credentialHelpers?: string[];
  registries: Registry[];
}

/** The scope an entry is matched on: prefix for wildcards, location otherwise. */
export function registryScope(reg: Registry): string {
  return reg.prefix !== '' ? reg.prefix : reg.location;
}

export function newRegistry(scope: string): Registry {
  const wildcard = scope.startsWith('*.');
  return {prefix: wildcard ? scope : '', location: wildcard ? '' : scope, insecure: false, blocked: false, mirrors: []};
}

/**
 * Compare strings the way Go does (`<` on UTF-8 bytes), which differs from
 * JavaScript's UTF-16 order for characters outside the BMP.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

const aboveSurrogates = /[\ud800-\uffff]/;

/** Sort in Go byte order; the native comparison agrees with it unless a string holds U+D800 and above. */
export function sortBytes(list: string[]): string[] {
  if (list.some((s) => aboveSurrogates.test(s))) return list.sort(compareBytes);
  return list.sort(); // the default order compares UTF-16 code units natively
}
