/**
 * registries.d/sigstore-registries.yaml as MCO writes it for signature policies
 * (helpers.go generateSigstoreRegistriesdConfig, addScopeMirrorsSigstoreRegistriesdConfig),
 * with the YAML key order and quoting of Go's yaml encoder, and the comparison of
 * policy files verify needs. Pure.
 */
import {parseReference, refName, type ImageReference} from '../model/reference.js';
import {compareBytes, registryScope, type RegistriesConf} from '../model/registries-conf.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import {findRegistry, loadRegistries, pullSources, RegistriesConfError, type LoadedRegistry} from '../model/sysregistries.js';
import {McoError} from './edit-registries.js';
import {decodePolicy, encodePolicy} from './policy.js';

const DUMMY_DIGEST = 'sha256:' + 'a'.repeat(64);

/** addScopeMirrorsSigstoreRegistriesdConfig: the pull sources of `reg` for the scope, by digest and by tag. */
function addScopeMirrors(keys: Set<string>, scope: string, reg: LoadedRegistry | undefined): void {
  if (!reg) return;
  let s = scope;
  if (s.startsWith('*.')) s = s.replace('*', 'matched');
  let addedDummy = false;
  if (!s.includes('/')) {
    s += '/a';
    addedDummy = true;
  }
  let parsed: ImageReference;
  try {
    parsed = parseReference(s);
  } catch (e) {
    throw new Error(`error parsing scope ${s}: ${(e as Error).message}`);
  }
  const repo = {domain: parsed.domain, path: parsed.path};
  const sources = [];
  for (const [kind, ref] of [
    ['digest', {...repo, digest: DUMMY_DIGEST}],
    ['tag', {...repo, tag: 'aaa'}],
  ] as const) {
    try {
      sources.push(...pullSources(reg, ref));
    } catch (e) {
      throw new Error(`error getting ${kind} sources for scope ${s}: ${(e as Error).message}`);
    }
  }
  for (const src of sources) {
    let endpoint = refName(src.reference);
    if (addedDummy && endpoint.endsWith('/a')) endpoint = endpoint.slice(0, -2);
    if (src.endpoint.location === '') continue;
    keys.add(endpoint);
  }
}

/**
 * generateSigstoreRegistriesdConfig: every policy scope, and (when MCO also
 * generates registries.conf in this sync) the mirrors of each scope and of
 * every registries.conf entry nested inside it, with use-sigstore-attachments.
 * undefined when there are no policy scopes (MCO writes no file).
 */
export function sigstoreRegistriesYaml(policyScopes: string[], conf: RegistriesConf | undefined): string | undefined {
  if (policyScopes.length === 0) return undefined;
  const keys = new Set<string>();
  let loaded: LoadedRegistry[] = [];
  if (conf) {
    try {
      loaded = loadRegistries(conf);
    } catch (e) {
      if (e instanceof RegistriesConfError) throw new McoError(e.message);
      throw e;
    }
  }
  for (const scope of policyScopes) {
    keys.add(scope);
    if (!conf) continue;
    const wrap = (e: unknown) => new McoError(`error adding clusterimagepolicy scope ${scope} relevant mirrors: ${(e as Error).message}`);
    try {
      addScopeMirrors(keys, scope, findRegistry(loaded, scope));
    } catch (e) {
      throw wrap(e);
    }
    for (const reg of conf.registries) {
      const nested = registryScope(reg);
      if (nested !== scope && scopeIsNestedInsideScope(nested, scope)) {
        try {
          addScopeMirrors(keys, nested, findRegistry(loaded, nested));
        } catch (e) {
          throw wrap(e);
        }
      }
    }
  }
  return encodeSigstoreYaml([...keys]);
}

/** gopkg.in/yaml.v2 keyList.Less: letters after other runes, digit runs compared as numbers. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

const YAML_NUMBER = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** A map key as yaml.v2 writes it: plain when it can, single-quoted after an indicator, double-quoted when it would read as a non-string. */
export function yamlKey(s: string): string {
  if (s === '' || YAML_NUMBER.test(s) || /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s)) {
    return JSON.stringify(s);
  }
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) || /: | #|\s$|^\s/.test(s)) return `'${s.replaceAll("'", "''")}'`;
  return s;
}

/** ghodss/yaml Marshal of {docker: {<key>: {use-sigstore-attachments: true}}}. */
export function encodeSigstoreYaml(keys: string[]): string {
  const sorted = [...new Set(keys)].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  let out = 'docker:\n';
  for (const k of sorted) {
    const key = yamlKey(k);
    // yaml.v2 writes keys longer than 128 characters in the explicit `? key` form.
    out += k.length > 128 ? `  ? ${key}\n  : use-sigstore-attachments: true\n` : `  ${key}:\n    use-sigstore-attachments: true\n`;
  }
  return out;
}

/**
 * For verify: are two policy files (policy.json or a CRI-O namespace policy)
 * the same bytes up to the order of requirements under one scope, the one part
 * of MCO's output that follows its random lister order? Both must be in MCO's
 * own encoding; anything else differs for real.
 */
export function policyFilesEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  let pa;
  let pb;
  try {
    pa = decodePolicy(a);
    pb = decodePolicy(b);
  } catch {
    return false;
  }
  if (encodePolicy(pa) !== a || encodePolicy(pb) !== b) return false;
  const canonical = (p: ReturnType<typeof decodePolicy>) => {
    for (const scopes of p.transports.values()) {
      for (const [scope, reqs] of scopes) scopes.set(scope, [...reqs].sort((x, y) => compareBytes(JSON.stringify(x), JSON.stringify(y))));
    }
    return encodePolicy(p);
  };
  return canonical(pa) === canonical(pb);
}
