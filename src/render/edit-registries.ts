/**
 * The registries.conf edit MCO performs (runtime-utils registries.EditRegistriesConfig,
 * vendored in machine-config-operator): mirror sets merged per source, blocked and
 * insecure scopes, and their propagation to nested scopes. Written from the
 * upstream behaviour; entry order and tie-breaks are part of the byte contract.
 */
import {newRegistry, sortBytes, registryScope, type Endpoint, type PullFromMirror, type RegistriesConf, type Registry} from '../model/registries-conf.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {MirrorSet} from '../model/types.js';
import {TopoGraph} from './topo.js';

export class McoError extends Error {
  override name = 'McoError';
  /** `field` and `value` point at the input that caused it, when known. */
  constructor(message: string, readonly field?: string, readonly value?: string, readonly source?: string) {
    super(message);
  }
}

export interface MergedMirrorSet {
  source: string;
  mirrors: readonly string[];
  neverContactSource: boolean;
}

interface Collected {
  sets: Map<string, ReadonlyArray<readonly string[]>>;
  block: Set<string>;
}

function collect(rules: Iterable<{source: string; mirrors: string[]; mirrorSourcePolicy: string}>): Collected {
  const c: Collected = {sets: new Map(), block: new Set()};
  for (const r of rules) {
    const mirrors = r.mirrors ?? [];
    // A set whose mirrors only repeat the source is not a mirror set; its policy is ignored too.
    if (!mirrors.some((m) => m !== r.source)) continue;
    if (r.mirrorSourcePolicy === 'NeverContactSource') c.block.add(r.source);
    const list = c.sets.get(r.source) as string[][] | undefined;
    if (list) list.push(mirrors);
    else c.sets.set(r.source, [mirrors]);
  }
  return c;
}

/** Distinct mirrors, none of them the source. */
function isSimplePath(mirrors: readonly string[], source: string): boolean {
  for (let i = 0; i < mirrors.length; i++) {
    if (mirrors[i] === source) return false;
    for (let j = 0; j < i; j++) if (mirrors[j] === mirrors[i]) return false;
  }
  return true;
}

function merge(c: Collected): MergedMirrorSet[] {
  const sources = sortBytes([...c.sets.keys()]);
  return sources.map((source) => {
    const lists = c.sets.get(source)!;
    // One list of distinct mirrors without the source is a simple path: its topological order is the list itself.
    if (lists.length === 1 && isSimplePath(lists[0]!, source)) return {source, mirrors: lists[0]!, neverContactSource: c.block.has(source)};
    const g = new TopoGraph();
    for (const mirrors of c.sets.get(source)!) {
      for (let i = 0; i + 1 < mirrors.length; i++) g.addEdge(mirrors[i]!, mirrors[i + 1]!);
      if (!mirrors.includes(source)) g.addEdge(mirrors[mirrors.length - 1]!, source);
    }
    let sorted = g.sorted();
    if (sorted[sorted.length - 1] === source) sorted = sorted.slice(0, -1);
    return {source, mirrors: sorted, neverContactSource: c.block.has(source)};
  });
}

function* rulesOf(sets: MirrorSet[], kinds: MirrorSet['kind'][]) {
  for (const kind of kinds) for (const s of sets) if (s.kind === kind) for (const r of s.rules) yield r;
}

/** Digest mirrors: IDMS objects first, then ICSPs (as MCO converts them), merged per source. */
export function mergedDigestMirrorSets(sets: MirrorSet[]): MergedMirrorSet[] {
  return merge(collect(rulesOf(sets, ['ImageDigestMirrorSet', 'ImageContentSourcePolicy'])));
}

export function mergedTagMirrorSets(sets: MirrorSet[]): MergedMirrorSet[] {
  return merge(collect(rulesOf(sets, ['ImageTagMirrorSet'])));
}

/** Sorted scope index so nested-scope look-ups are not quadratic on large configurations. */
class ScopeIndex {
  private readonly byScope = new Map<string, Registry>();
  constructor(private readonly conf: RegistriesConf) {
    for (const r of conf.registries) if (!this.byScope.has(registryScope(r))) this.byScope.set(registryScope(r), r);
  }
  get(scope: string): Registry {
    let r = this.byScope.get(scope);
    if (!r) {
      r = newRegistry(scope);
      this.conf.registries.push(r);
      this.byScope.set(scope, r);
    }
    return r;
  }
}

/**
 * Registries strictly nested in `scope`, in configuration order. A non-wildcard
 * scope only contains `scope/...`, a contiguous range of any lexicographic order,
 * found by binary search; wildcard scopes need the full rule.
 */
function nestedIn(conf: RegistriesConf, scope: string, sortedScopes: () => Array<[string, number]>): Registry[] {
  if (scope.startsWith('*.')) return conf.registries.filter((r) => registryScope(r) !== scope && scopeIsNestedInsideScope(registryScope(r), scope));
  const sorted = sortedScopes();
  const child = scope + '/';
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]![0] < child) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= sorted.length || !sorted[lo]![0].startsWith(child)) return [];
  const out: number[] = [];
  for (let i = lo; i < sorted.length && sorted[i]![0].startsWith(child); i++) out.push(sorted[i]![1]);
  return out.sort((a, b) => a - b).map((i) => conf.registries[i]!);
}

/**
 * Edit `conf` in place as MCO does. Entry order: merged digest-mirror sources
 * (sorted), tag-mirror sources (sorted, reusing entries), blocked scopes in input
 * order, insecure scopes in input order.
 */
export function editRegistriesConfig(conf: RegistriesConf, insecure: string[], blocked: string[], mirrorSets: MirrorSet[]): void {
  const index = new ScopeIndex(conf);
  const addMirrors = (merged: MergedMirrorSet[], pull: PullFromMirror) => {
    for (const m of merged) {
      const reg = index.get(m.source);
      if (m.neverContactSource) reg.blocked = true;
      for (const location of m.mirrors) reg.mirrors.push({location, insecure: false, pullFromMirror: pull});
    }
  };
  const digest = mergedDigestMirrorSets(mirrorSets);
  addMirrors(digest, 'digest-only');
  const tag = mergedTagMirrorSets(mirrorSets);
  addMirrors(tag, 'tag-only');

  for (const scope of blocked) index.get(scope);

  for (const scope of insecure) {
    index.get(scope).insecure = true;
    for (const reg of conf.registries) {
      if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.insecure = true;
      for (const mirror of reg.mirrors) if (scopeIsNestedInsideScope(mirror.location, scope)) mirror.insecure = true;
    }
  }
  for (const scope of blocked) {
    index.get(scope).blocked = true;
    for (const reg of conf.registries) if (scopeIsNestedInsideScope(registryScope(reg), scope)) reg.blocked = true;
  }

  let sorted: Array<[string, number]> | undefined;
  const sortedScopes = () =>
    (sorted ??= conf.registries.map((r, i): [string, number] => [registryScope(r), i]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  // Every proper `/`-prefix of an entry's scope: a non-wildcard scope has nested entries only if it is one.
  const parents = new Set<string>();
  for (const r of conf.registries) {
    const scope = registryScope(r);
    for (let i = scope.indexOf('/'); i !== -1; i = scope.indexOf('/', i + 1)) parents.add(scope.slice(0, i));
  }
  for (const m of [...digest, ...tag]) {
    const mirrored = index.get(m.source);
    const mirroredScope = registryScope(mirrored);
    if (!mirroredScope.startsWith('*.') && !parents.has(mirroredScope)) continue;
    for (const reg of nestedIn(conf, mirroredScope, sortedScopes)) {
      const scope = registryScope(reg);
      // A mirror set's own entry was handled above; only scopes below it inherit.
      if (reg.mirrors.length !== 0) continue;
      if (mirroredScope.startsWith('*.')) {
        throw new McoError(`internal error: mirrorsAdjustedForNestedScope for a wildcard scope "${mirroredScope}"`, undefined, mirroredScope);
      }
      const suffix = scope.slice(mirroredScope.length);
      reg.mirrors = mirrored.mirrors.map((e: Endpoint) => ({...e, location: e.location + suffix}));
    }
  }
}
