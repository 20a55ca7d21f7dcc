/**
 * oc-mirror output, interpreted. Pure: file names and texts in, objects out.
 *
 * Layouts (openshift/oc-mirror):
 * - v2 `working-dir/cluster-resources/` (internal/pkg/clusterresources): idms-oc-mirror.yaml
 *   and itms-oc-mirror.yaml (full sets, one object per category: idms-release-0,
 *   idms-operator-0, idms-generic-0, ...), cs-*.yaml CatalogSource, cc-*.yaml ClusterCatalog,
 *   updateService.yaml UpdateService, signature-configmap.json and signature-configmap.yaml
 *   (the same ConfigMap mirrored-release-signatures in openshift-config-managed, twice).
 * - v1 `oc-mirror-workspace/results-<unix time>/` (v1/pkg/cli/mirror): imageContentSourcePolicy.yaml
 *   (ICSPs release-0, generic-0, <catalog>-0, ...), catalogSource-*.yaml, updateService.yaml,
 *   mapping.txt (source=destination per image, not a manifest), release-signatures/*.json
 *   (one ConfigMap per release digest, openshift-config-managed).
 * `mirror apply` semantics (v2, and how `oc apply` treats v1 names too): an object
 * replaces the cluster's object of the same kind and name; an ICSP all of whose
 * entries the incoming digest sets provide is replaced and deleted.
 */
import type {Problem} from '../lib/errors.js';
import type {Warning} from './warnings.js';
import type {CurrentObject, EditChange, Editor} from './edit.js';
import {loadManifests, type LoadedObject} from './manifests.js';
import {parseNormalizedNamed, refName} from './reference.js';
import {scopeIsNestedInsideScope} from './scope.js';
import type {MirrorSet} from './types.js';

export const SIGNATURE_NAMESPACE = 'openshift-config-managed';
export const SIGNATURE_LABEL = 'release.openshift.io/verification-signatures';
const MIRROR_KINDS = ['ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy'];
export const PASS_THROUGH_KINDS = ['CatalogSource', 'ClusterCatalog', 'UpdateService'];

export type OcMirrorLayout = 'oc-mirror v2 cluster-resources' | 'oc-mirror v1 results' | 'manifests';

export interface OcMirrorObject {
  kind: string;
  name: string;
  namespace?: string;
  body: Record<string, unknown>;
  file: string;
}

export interface OcMirrorOutput {
  layout: OcMirrorLayout;
  mirrorSets: OcMirrorObject[];
  signatures: OcMirrorObject[];
  passThrough: OcMirrorObject[];
  /** Files read but not applied, and why (mapping.txt, the JSON twin of the signature ConfigMap, ...). */
  notes: string[];
  problems: Problem[];
}

const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);

export function detectLayout(files: string[]): OcMirrorLayout {
  const names = files.map(base);
  if (names.some((n) => /^(idms|itms)-oc-mirror\.yaml$|^signature-configmap\.(json|yaml)$|^c[sc]-.+\.yaml$/.test(n))) return 'oc-mirror v2 cluster-resources';
  if (names.some((n) => n === 'imageContentSourcePolicy.yaml' || n === 'mapping.txt' || /^catalogSource-.+\.yaml$/.test(n)) || files.some((f) => f.includes('release-signatures/'))) return 'oc-mirror v1 results';
  return 'manifests';
}

/** Interpret the files of one oc-mirror output folder (`file` relative names, `text` contents). */
export function interpretOcMirror(files: Array<{file: string; text: string}>): OcMirrorOutput {
  const layout = detectLayout(files.map((f) => f.file));
  const notes: string[] = [];
  const manifests: Array<{file: string; text: string}> = [];
  for (const f of files) {
    const n = base(f.file);
    if (n === 'mapping.txt') {
      const lines = f.text.split('\n').filter((l) => l.includes('='));
      notes.push(`${f.file}: image mapping (${lines.length} images), used by \`oc image mirror\`, not applied`);
    } else if (n === 'signature-configmap.json' && files.some((g) => g.file === f.file.replace(/\.json$/, '.yaml'))) {
      notes.push(`${f.file}: the same ConfigMap as ${base(f.file.replace(/\.json$/, '.yaml'))} (oc-mirror writes both); read once`);
    } else if (/\.(ya?ml|json)$/i.test(n)) manifests.push(f);
    else notes.push(`${f.file}: not a manifest, ignored`);
  }
  // Each file on its own: oc-mirror writes some objects twice (signature ConfigMap as JSON and YAML,
  // or under signatures/); the same object twice is read once, two different ones are refused.
  const problems: Problem[] = [];
  const objects: LoadedObject[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, LoadedObject>();
  for (const m of manifests) {
    const loaded = loadManifests([m]);
    problems.push(...loaded.problems);
    ignored.push(...loaded.ignored);
    for (const o of loaded.objects) {
      const key = `${o.kind}/${o.namespace ?? ''}/${o.name}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, o);
        objects.push(o);
      } else if (same(first.body, o.body)) notes.push(`${o.file}: ${o.kind} ${o.name} again, the same as in ${first.file}; read once`);
      else problems.push({field: 'metadata.name', value: o.name, message: `${o.kind} ${o.name} is defined twice with different content (first in ${first.file}); refusing to guess which one applies`, source: `${o.file}:${o.line}`});
    }
  }
  const out: OcMirrorOutput = {layout, mirrorSets: [], signatures: [], passThrough: [], notes, problems};
  const take = (o: LoadedObject): OcMirrorObject => ({kind: o.kind, name: o.name, namespace: o.namespace, body: o.body, file: o.file});
  for (const o of objects) {
    if (MIRROR_KINDS.includes(o.kind)) out.mirrorSets.push(take(o));
    else if (PASS_THROUGH_KINDS.includes(o.kind)) out.passThrough.push(take(o));
    else if (o.kind === 'ConfigMap' && isSignatureConfigMap(o.body, o.file)) {
      const t = take(o);
      if (o.namespace !== SIGNATURE_NAMESPACE) {
        // The cluster-version operator reads release signatures only from openshift-config-managed.
        notes.push(`${o.file}: ConfigMap ${o.name} goes to ${SIGNATURE_NAMESPACE}${o.namespace ? ` (not ${o.namespace})` : ''}, where the cluster-version operator reads release signatures`);
        t.namespace = SIGNATURE_NAMESPACE;
        t.body = {...o.body, metadata: {...(o.body.metadata as object), namespace: SIGNATURE_NAMESPACE}};
      }
      out.signatures.push(t);
    } else notes.push(`${o.file}: ${o.kind} ${o.name} is not oc-mirror cluster configuration, ignored`);
  }
  for (const k of new Set(ignored)) notes.push(`${k}: not oc-mirror cluster configuration, ignored`);
  if (out.mirrorSets.length + out.signatures.length + out.passThrough.length === 0 && problems.length === 0) {
    problems.push({field: 'DIR', message: 'holds no ImageDigestMirrorSet, ImageTagMirrorSet, ImageContentSourcePolicy, signature ConfigMap, CatalogSource, ClusterCatalog or UpdateService'});
  }
  return out;
}

function isSignatureConfigMap(body: Record<string, unknown>, file: string): boolean {
  const labels = ((body.metadata as {labels?: Record<string, string>} | undefined)?.labels ?? {}) as Record<string, string>;
  return SIGNATURE_LABEL in labels || /signature/.test(file);
}

/** One mirror a node uses: digest or tag pulls, source -> mirror. */
export interface MirrorEntry {
  pulls: 'digest' | 'tag';
  source: string;
  mirror: string;
  /** Objects that list it (Kind/name). */
  objects: string[];
}

export function mirrorEntries(sets: MirrorSet[]): MirrorEntry[] {
  const by = new Map<string, MirrorEntry>();
  for (const s of sets) {
    const pulls = s.kind === 'ImageTagMirrorSet' ? 'tag' : 'digest';
    for (const r of s.rules) {
      for (const m of r.mirrors) {
        const k = `${pulls} ${r.source} ${m}`;
        const e = by.get(k) ?? {pulls, source: r.source, mirror: m, objects: []};
        e.objects.push(`${s.kind}/${s.name}`);
        by.set(k, e);
      }
    }
  }
  return [...by.values()];
}

const entryKey = (e: {pulls: string; source: string; mirror: string}) => `${e.pulls} ${e.source} ${e.mirror}`;

/** Entries the cluster has before and not after. */
export function lostEntries(before: MirrorSet[], after: MirrorSet[]): MirrorEntry[] {
  const keep = new Set(mirrorEntries(after).map(entryKey));
  return mirrorEntries(before).filter((e) => !keep.has(entryKey(e)));
}

export interface PodImage {
  namespace: string;
  pod: string;
  container: string;
  image: string;
}

export interface PodLosingMirror extends PodImage {
  lost: string[];
  /** Mirrors left for this reference after the change, in no particular order. */
  remaining: string[];
}

/** Entries by source, for the longest-prefix lookup registries.conf does. */
interface EntryIndex {
  bySource: Map<string, MirrorEntry[]>;
  wildcards: MirrorEntry[];
}

function indexEntries(entries: MirrorEntry[]): EntryIndex {
  const bySource = new Map<string, MirrorEntry[]>();
  const wildcards: MirrorEntry[] = [];
  for (const e of entries) {
    if (e.source.startsWith('*.')) wildcards.push(e);
    else bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  }
  return {bySource, wildcards};
}

/** The mirrors registries.conf gives a reference: the most specific matching source only, digest or tag mirrors. */
function mirrorsFor(ix: EntryIndex, repo: string, pulls: 'digest' | 'tag'): string[] {
  // A repository is inside a source at a `/` boundary: try the repository, then each parent.
  for (let scope = repo; scope !== ''; scope = scope.includes('/') ? scope.slice(0, scope.lastIndexOf('/')) : '') {
    const hit = ix.bySource.get(scope);
    if (hit) return hit.filter((e) => e.pulls === pulls).map((e) => e.mirror);
  }
  let best = '';
  for (const e of ix.wildcards) if (scopeIsNestedInsideScope(repo, e.source) && e.source.length > best.length) best = e.source;
  return best ? ix.wildcards.filter((e) => e.source === best && e.pulls === pulls).map((e) => e.mirror) : [];
}

/** Image references of running pods that would lose a mirror they can pull from today. */
export function podsLosingMirrors(pods: PodImage[], before: MirrorSet[], after: MirrorSet[]): PodLosingMirror[] {
  const b = indexEntries(mirrorEntries(before));
  const a = indexEntries(mirrorEntries(after));
  const out: PodLosingMirror[] = [];
  for (const p of pods) {
    let repo: string;
    let pulls: 'digest' | 'tag';
    try {
      const ref = parseNormalizedNamed(p.image);
      repo = refName(ref);
      pulls = ref.digest ? 'digest' : 'tag';
    } catch {
      continue;
    }
    const was = mirrorsFor(b, repo, pulls);
    if (was.length === 0) continue;
    const now = mirrorsFor(a, repo, pulls);
    const lost = was.filter((m) => !now.includes(m));
    if (lost.length > 0) out.push({...p, lost, remaining: now});
  }
  return out;
}

export type ApplyStage = 'add' | 'final';

export interface OcMirrorApplyOptions {
  includeCatalogs: boolean;
  /** add: stage 1 of --staged (new mirrors in, nothing taken out); final: the oc-mirror set as it is. */
  stage: ApplyStage;
}

const SERVER_META = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields'];

/** The incoming body, keeping the server-managed metadata of the object it replaces. */
function replacing(incoming: Record<string, unknown>, existing: CurrentObject | undefined): Record<string, unknown> {
  const body = structuredClone(incoming);
  delete body.status;
  const meta = {...((body.metadata ?? {}) as Record<string, unknown>)};
  delete meta.creationTimestamp;
  const old = (existing?.body.metadata ?? {}) as Record<string, unknown>;
  for (const k of SERVER_META) if (old[k] !== undefined) meta[k] = old[k];
  body.metadata = meta;
  return body;
}

const LIST_KEYS: Record<string, string> = {ImageDigestMirrorSet: 'imageDigestMirrors', ImageTagMirrorSet: 'imageTagMirrors', ImageContentSourcePolicy: 'repositoryDigestMirrors'};
type Rule = {source: string; mirrors?: string[]; mirrorSourcePolicy?: string};
const rulesOf = (body: Record<string, unknown>, kind: string) => (((body.spec as Record<string, unknown> | undefined)?.[LIST_KEYS[kind]!] ?? []) as Rule[]).map((r) => ({...r, mirrors: [...(r.mirrors ?? [])]}));

/** Stage 1: the incoming rules with every mirror and source of the replaced object still in (new mirrors first). */
function union(incoming: Record<string, unknown>, old: Record<string, unknown>, kind: string): Record<string, unknown> {
  const rules = rulesOf(incoming, kind);
  const bySource = new Map(rules.map((r) => [r.source, r]));
  for (const r of rulesOf(old, kind)) {
    const have = bySource.get(r.source);
    if (!have) {
      rules.push(r);
      bySource.set(r.source, r);
    } else for (const m of r.mirrors) if (!have.mirrors.includes(m)) have.mirrors.push(m);
  }
  return {...incoming, spec: {...(incoming.spec as object), [LIST_KEYS[kind]!]: rules}};
}

/** ICSPs (not themselves in the input) whose every entry the incoming digest sets provide: replaced. */
export function replacedIcsps(current: CurrentObject[], input: OcMirrorOutput): string[] {
  const incoming = new Set(mirrorEntries(input.mirrorSets.filter((o) => o.kind !== 'ImageTagMirrorSet').map((o) => ({kind: o.kind as MirrorSet['kind'], name: o.name, rules: rulesOf(o.body, o.kind).map((r) => ({source: r.source, mirrors: r.mirrors, mirrorSourcePolicy: ''}))}))).map(entryKey));
  return current
    .filter((o) => o.kind === 'ImageContentSourcePolicy' && !input.mirrorSets.some((i) => i.kind === o.kind && i.name === o.name))
    .filter((o) => {
      const rules = rulesOf(o.body, o.kind);
      return rules.length > 0 && rules.every((r) => r.mirrors.every((m) => incoming.has(`digest ${r.source} ${m}`)));
    })
    .map((o) => o.name);
}

function canon(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canon);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])]));
  return x;
}

/** Same object apart from key order, status and server bookkeeping: nothing to write. */
function same(a: Record<string, unknown> | undefined, b: Record<string, unknown>): boolean {
  if (!a) return false;
  const strip = (o: Record<string, unknown>) => {
    const c = {...o};
    delete c.status;
    const meta = {...((c.metadata ?? {}) as Record<string, unknown>)};
    for (const k of SERVER_META) delete meta[k];
    c.metadata = meta;
    return JSON.stringify(canon(c));
  };
  return strip(a) === strip(b);
}

const label = (o: {kind: string; name: string; namespace?: string}) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/** The Editor of `mirror apply`: the same plan/apply path as every edit. */
export function ocMirrorEditor(input: OcMirrorOutput, opts: OcMirrorApplyOptions): Editor {
  return (ctx) => {
    const changes: EditChange[] = [];
    const summary: string[] = [];
    const warnings: Warning[] = [];
    for (const o of input.mirrorSets) {
      const existing = ctx.find(o.kind, o.name);
      const incoming = replacing(o.body, existing);
      const after = existing && opts.stage === 'add' ? union(incoming, existing.body, o.kind) : incoming;
      if (same(existing?.body, after)) continue;
      changes.push({kind: o.kind, name: o.name, after});
      const kept = JSON.stringify(after) !== JSON.stringify(incoming);
      summary.push(`${!existing ? 'create' : kept ? 'extend' : 'replace'} ${label(o)} from ${o.file}${kept ? ' (entries it drops stay until stage 2)' : ''}`);
    }
    const icsps = replacedIcsps(ctx.objects, input);
    for (const name of icsps) {
      if (opts.stage === 'final') {
        changes.push({kind: 'ImageContentSourcePolicy', name, after: undefined});
        summary.push(`delete ImageContentSourcePolicy ${name}: the new digest mirror sets provide all of its entries`);
      } else summary.push(`keep ImageContentSourcePolicy ${name} until stage 2 (replaced by the new sets)`);
    }
    for (const o of input.signatures) {
      const existing = ctx.find('ConfigMap', o.name, o.namespace);
      const after = replacing(o.body, existing);
      if (same(existing?.body, after)) continue;
      changes.push({kind: 'ConfigMap', name: o.name, namespace: o.namespace, after});
      summary.push(`${existing ? 'update' : 'create'} release signature ${label(o)} from ${o.file}`);
    }
    for (const o of input.passThrough) {
      // Not node configuration: listed by the caller, written only with --include-catalogs.
      if (!opts.includeCatalogs) continue;
      const existing = ctx.find(o.kind, o.name, o.namespace);
      const after = replacing(o.body, existing);
      if (same(existing?.body, after)) continue;
      changes.push({kind: o.kind, name: o.name, namespace: o.namespace, after});
      summary.push(`${existing ? 'replace' : 'create'} ${label(o)} from ${o.file} (--include-catalogs)`);
    }
    return {changes, problems: [], summary, warnings};
  };
}
