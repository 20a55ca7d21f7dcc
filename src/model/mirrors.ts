/**
 * Mirror sets (ImageDigestMirrorSet, ImageTagMirrorSet, ImageContentSourcePolicy):
 * the pure edits behind `mirror add`, `mirror remove`, `mirror list` and
 * `mirror migrate`, their validation, and the payload-blocking check. No I/O:
 * state in, new objects and problems out.
 */
import type {Problem} from '../lib/errors.js';
import type {Warning} from './warnings.js';
import {explainBadScope, mirrorPattern, scopeIsNestedInsideScope, sourcePattern} from './scope.js';
import type {ClusterState, MirrorRule, MirrorSet, MirrorSetKind} from './types.js';

export type MirrorKindFlag = 'idms' | 'itms' | 'icsp';

export const KIND_OF_FLAG: Record<MirrorKindFlag, MirrorSetKind> = {
  idms: 'ImageDigestMirrorSet',
  itms: 'ImageTagMirrorSet',
  icsp: 'ImageContentSourcePolicy',
};

export const SHORT_KIND: Record<MirrorSetKind, string> = {
  ImageDigestMirrorSet: 'IDMS',
  ImageTagMirrorSet: 'ITMS',
  ImageContentSourcePolicy: 'ICSP',
};

/** The spec list that holds the rules of each kind (openshift/api). */
export const LIST_KEY: Record<MirrorSetKind, string> = {
  ImageContentSourcePolicy: 'repositoryDigestMirrors',
  ImageDigestMirrorSet: 'imageDigestMirrors',
  ImageTagMirrorSet: 'imageTagMirrors',
};

export const API_VERSION: Record<MirrorSetKind, string> = {
  ImageContentSourcePolicy: 'operator.openshift.io/v1alpha1',
  ImageDigestMirrorSet: 'config.openshift.io/v1',
  ImageTagMirrorSet: 'config.openshift.io/v1',
};

export const ICSP_DEPRECATED =
  'ImageContentSourcePolicy is deprecated (since OpenShift 4.13) in favour of ImageDigestMirrorSet; create an IDMS instead (--kind idms), and convert existing ones with `oc registries mirror migrate`';

export interface MirrorAddIntent {
  source: string;
  mirrors: string[];
  kind: MirrorSetKind;
  /** Add to this object (created when absent). */
  name?: string;
  neverContactSource?: boolean;
}

export interface MirrorRemoveIntent {
  source: string;
  /** Empty: remove the source's rule altogether. */
  mirrors: string[];
  kind?: MirrorSetKind;
  name?: string;
}

/** What happens to one object. `ruleOrigin[j]` is the index in `before.rules` that `after.rules[j]` came from, -1 for a new rule. */
export interface ObjectChange {
  action: 'create' | 'update' | 'delete';
  kind: MirrorSetKind;
  name: string;
  before?: MirrorSet;
  after?: MirrorSet;
  ruleOrigin?: number[];
}

export interface MirrorEdit {
  /** Every mirror set after the edit, in the order they were listed (created ones last). */
  sets: MirrorSet[];
  changes: ObjectChange[];
  /** Validation failures: nothing may be written when there are any. */
  problems: Problem[];
  warnings: Warning[];
  /** Human notes about no-ops (already present, absent). */
  notes: string[];
}

function cloneSet(s: MirrorSet): MirrorSet {
  return {...s, rules: s.rules.map((r) => ({...r, mirrors: [...r.mirrors]}))};
}

const ref = (s: MirrorSet) => `${SHORT_KIND[s.kind]} ${s.name}`;

function fieldOf(set: MirrorSet, i: number, key?: string): string {
  return `${set.kind}/${set.name} spec.${LIST_KEY[set.kind]}[${i}]${key ? '.' + key : ''}`;
}

/** Source and mirrors of a command line: repositories (no tag, no digest), no duplicates, no mirror equal to its source. */
export function validateMirrorArgs(source: string, mirrors: string[], opts: {requireMirrors: boolean}): Problem[] {
  const out: Problem[] = [];
  if (!sourcePattern.test(source)) out.push({field: 'SOURCE', value: source, message: explainBadScope(source)});
  if (opts.requireMirrors && mirrors.length === 0) out.push({field: 'MIRROR', message: 'give at least one mirror repository'});
  const seen = new Set<string>();
  mirrors.forEach((m, i) => {
    if (!mirrorPattern.test(m)) out.push({field: `MIRROR[${i}]`, value: m, message: explainBadScope(m, false)});
    if (m === source) out.push({field: `MIRROR[${i}]`, value: m, message: 'is the source itself; a mirror must be a different repository'});
    if (seen.has(m)) out.push({field: `MIRROR[${i}]`, value: m, message: 'is listed twice; mirrors is a set'});
    seen.add(m);
  });
  return out;
}

/** A DNS-1123 name readable as the source it mirrors: `registry.redhat.io/ubi9` -> `registry-redhat-io-ubi9`. */
export function generatedName(source: string, taken: Set<string>): string {
  let base = source
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/, '');
  if (base === '') base = 'mirror';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** mirrorSourcePolicy as MCO compares it: unset and ICSP count as AllowContactingSource (helpers.go validateRegistriesConfScopes). */
export function effectivePolicy(set: MirrorSet, rule: MirrorRule): string {
  if (set.kind === 'ImageContentSourcePolicy') return 'AllowContactingSource';
  return rule.mirrorSourcePolicy || 'AllowContactingSource';
}

/**
 * Different mirrorSourcePolicy for one source across objects: MCO refuses the
 * whole sync (every pool keeps its old files), so this is an error here.
 */
export function policyConflicts(sets: MirrorSet[]): Problem[] {
  const bySource = new Map<string, Array<{set: MirrorSet; i: number; policy: string}>>();
  for (const set of sets) {
    set.rules.forEach((r, i) => {
      let l = bySource.get(r.source);
      if (!l) bySource.set(r.source, (l = []));
      l.push({set, i, policy: effectivePolicy(set, r)});
    });
  }
  const out: Problem[] = [];
  for (const [source, uses] of bySource) {
    const policies = new Set(uses.map((u) => u.policy));
    if (policies.size < 2) continue;
    const never = uses.filter((u) => u.policy === 'NeverContactSource').map((u) => ref(u.set));
    const allow = uses.filter((u) => u.policy !== 'NeverContactSource').map((u) => ref(u.set) + (u.set.kind === 'ImageContentSourcePolicy' ? ' (ICSP: always AllowContactingSource)' : ''));
    const first = uses.find((u) => u.policy === 'NeverContactSource')!;
    out.push({
      field: fieldOf(first.set, first.i, 'mirrorSourcePolicy'),
      value: source,
      source: first.set.source,
      message: `conflicting mirrorSourcePolicy for this source: NeverContactSource in ${[...new Set(never)].join(', ')}, AllowContactingSource in ${[...new Set(allow)].join(', ')}; MCO refuses the whole sync and no pool gets any registry change. Use the same policy in every object that lists the source`,
    });
  }
  return out;
}

/**
 * Warnings about mirror registries the image configuration blocks: c/image
 * looks up each mirror's own registries.conf entry and skips a blocked one
 * (docker_client.go newDockerClient). Mirrors missing from allowedRegistries
 * are reported by the configuration warnings (allowlist-missing-mirror).
 */
export function mirrorReachabilityWarnings(state: ClusterState, mirrors: string[]): Warning[] {
  const rs = state.image?.spec.registrySources;
  const out: Warning[] = [];
  for (const m of mirrors) {
    const blocker = (rs?.blockedRegistries ?? []).find((b) => scopeIsNestedInsideScope(m, b));
    if (blocker) {
      out.push({code: 'mirror-blocked', field: 'spec.registrySources.blockedRegistries', message: `mirror ${m} is inside blocked scope ${blocker}: nodes skip it (CRI-O refuses to contact a blocked registry, mirror or not)`});
    }
  }
  return out;
}

function finish(sets: MirrorSet[], changes: ObjectChange[], problems: Problem[], warnings: Warning[], notes: string[]): MirrorEdit {
  // A conflict anywhere is fatal after the edit, even one the edit did not cause: MCO refuses the whole sync.
  if (changes.length > 0) problems.push(...policyConflicts(sets));
  return {sets, changes, problems, warnings, notes};
}

/**
 * `mirror add`: the rule for SOURCE gains MIRRORs (in the order given, after
 * the ones it has). Target object: --name, else the first object of the kind
 * that already lists the source, else a new object with a generated name.
 */
export function addMirrors(state: ClusterState, intent: MirrorAddIntent): MirrorEdit {
  const problems = validateMirrorArgs(intent.source, intent.mirrors, {requireMirrors: true});
  const warnings: Warning[] = [];
  const notes: string[] = [];
  if (intent.kind === 'ImageContentSourcePolicy') {
    warnings.push({code: 'icsp-deprecated', message: ICSP_DEPRECATED});
    if (intent.neverContactSource) problems.push({field: '--never-contact-source', message: 'ImageContentSourcePolicy has no mirrorSourcePolicy; use --kind idms or itms'});
  }
  const sets = state.mirrorSets.map(cloneSet);
  if (problems.length > 0) return {sets, changes: [], problems, warnings, notes};

  const ofKind = sets.filter((s) => s.kind === intent.kind);
  let target: MirrorSet | undefined;
  let created = false;
  if (intent.name !== undefined) {
    target = ofKind.find((s) => s.name === intent.name);
  } else {
    const holders = ofKind.filter((s) => s.rules.some((r) => r.source === intent.source));
    target = holders[0];
    if (holders.length > 1) notes.push(`${intent.source} is listed in ${holders.map(ref).join(', ')}; adding to ${ref(holders[0]!)} (pass --name to choose)`);
  }
  if (!target) {
    const name = intent.name ?? generatedName(intent.source, new Set(ofKind.map((s) => s.name)));
    target = {kind: intent.kind, name, rules: []};
    sets.push(target);
    created = true;
  }
  const before = created ? undefined : cloneSet(target);
  let idx = target.rules.findIndex((r) => r.source === intent.source);
  if (idx === -1) {
    target.rules.push({source: intent.source, mirrors: [], mirrorSourcePolicy: ''});
    idx = target.rules.length - 1;
  }
  const rule = target.rules[idx]!;
  for (const m of intent.mirrors) {
    if (rule.mirrors.includes(m)) notes.push(`${m} is already a mirror of ${intent.source} in ${ref(target)}`);
    else rule.mirrors.push(m);
  }
  if (intent.neverContactSource && rule.mirrorSourcePolicy !== 'NeverContactSource') rule.mirrorSourcePolicy = 'NeverContactSource';

  const changed = created || JSON.stringify(before!.rules) !== JSON.stringify(target.rules);
  const changes: ObjectChange[] = [];
  if (changed) {
    changes.push({
      action: created ? 'create' : 'update',
      kind: target.kind,
      name: target.name,
      before,
      after: cloneSet(target),
      ruleOrigin: target.rules.map((_, j) => (before && j < before.rules.length ? j : -1)),
    });
    // Other objects that mirror the same source with a different kind: the pull order merges across them.
    for (const s of sets) {
      if (s === target || !s.rules.some((r) => r.source === intent.source)) continue;
      if (s.kind === 'ImageContentSourcePolicy' && intent.kind === 'ImageDigestMirrorSet') {
        notes.push(`${ref(s)} also mirrors ${intent.source}; MCO merges both (run \`oc registries mirror migrate\` to retire the ICSP)`);
      }
    }
  }
  warnings.push(...mirrorReachabilityWarnings(state, intent.mirrors.filter((m) => !before?.rules[idx]?.mirrors.includes(m))));
  return finish(sets, changes, problems, warnings, notes);
}

/**
 * `mirror remove`: without MIRRORs the source's rule goes; with them only those
 * mirrors. A rule left without mirrors is removed, an object left without rules
 * is deleted (an empty mirror set still makes MCO rewrite registries.conf).
 */
export function removeMirrors(state: ClusterState, intent: MirrorRemoveIntent): MirrorEdit {
  const problems = validateMirrorArgs(intent.source, intent.mirrors, {requireMirrors: false}).filter((p) => !/is the source itself/.test(p.message));
  const warnings: Warning[] = [];
  const notes: string[] = [];
  let sets = state.mirrorSets.map(cloneSet);
  if (problems.length > 0) return {sets, changes: [], problems, warnings, notes};
  const targets = sets.filter((s) => (intent.kind === undefined || s.kind === intent.kind) && (intent.name === undefined || s.name === intent.name));
  if (intent.name !== undefined && targets.length === 0) {
    notes.push(`no ${intent.kind ? SHORT_KIND[intent.kind] : 'mirror set'} named ${intent.name}; nothing to remove`);
  }
  const changes: ObjectChange[] = [];
  const removedMirrors = new Set<string>();
  const deleted = new Set<MirrorSet>();
  for (const set of targets) {
    const before = cloneSet(set);
    const origin: number[] = [];
    const rules: MirrorRule[] = [];
    set.rules.forEach((r, i) => {
      if (r.source !== intent.source) {
        rules.push(r);
        origin.push(i);
        return;
      }
      if (intent.mirrors.length === 0) return;
      const kept = r.mirrors.filter((m) => !intent.mirrors.includes(m));
      for (const m of r.mirrors) if (intent.mirrors.includes(m)) removedMirrors.add(m);
      if (kept.length === 0 && r.mirrors.length > 0) return;
      rules.push({...r, mirrors: kept});
      origin.push(i);
    });
    if (JSON.stringify(rules) === JSON.stringify(before.rules)) continue;
    set.rules = rules;
    if (rules.length === 0) {
      deleted.add(set);
      changes.push({action: 'delete', kind: set.kind, name: set.name, before});
      notes.push(`${ref(set)} has no rules left and is deleted`);
    } else {
      changes.push({action: 'update', kind: set.kind, name: set.name, before, after: cloneSet(set), ruleOrigin: origin});
    }
  }
  sets = sets.filter((s) => !deleted.has(s));
  for (const m of intent.mirrors) if (!removedMirrors.has(m)) notes.push(`${m} is not a mirror of ${intent.source}${intent.name ? ` in ${intent.name}` : ''}; nothing to remove`);
  if (changes.length === 0 && intent.mirrors.length === 0) notes.push(`${intent.source} has no mirrors${intent.name ? ` in ${intent.name}` : ''}; nothing to remove`);
  return finish(sets, changes, problems, warnings, notes);
}

/** One line of `mirror list`: one rule of one object. */
export interface MirrorListRow {
  object: string;
  kind: string;
  source: string;
  mirrors: string[];
  policy: string;
  origin?: string;
}

export function listMirrors(state: ClusterState): MirrorListRow[] {
  const rows: MirrorListRow[] = [];
  const order: MirrorSetKind[] = ['ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy'];
  const sets = [...state.mirrorSets].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const s of sets) {
    for (const r of s.rules) {
      rows.push({object: s.name, kind: SHORT_KIND[s.kind], source: r.source, mirrors: [...r.mirrors], policy: s.kind === 'ImageContentSourcePolicy' ? '-' : r.mirrorSourcePolicy || 'AllowContactingSource', ...(s.source ? {origin: s.source} : {})});
    }
  }
  return rows;
}

/** Plain-text table, columns padded; mirrors joined in pull order. */
export function formatMirrorTable(rows: MirrorListRow[]): string {
  const head = ['OBJECT', 'KIND', 'SOURCE', 'MIRRORS (in order)', 'POLICY'];
  const body = rows.map((r) => [r.object, r.kind, r.source, r.mirrors.join(', ') || '(none)', r.policy]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** One ImageContentSourcePolicy and the ImageDigestMirrorSet that replaces it. */
export interface MigrationPair {
  icsp: MirrorSet;
  idms: MirrorSet;
  /** An IDMS with this name and these rules already exists (an earlier migration): nothing to create. */
  alreadyMigrated: boolean;
}

export interface Migration {
  pairs: MigrationPair[];
  /** The mirror sets after the migration: ICSPs replaced (deleteIcsp) or kept next to their IDMS. */
  sets: MirrorSet[];
  changes: ObjectChange[];
}

/**
 * ICSP -> IDMS, one object for one object, rules in the same order. An ICSP
 * counts as AllowContactingSource and its mirrors are digest-only, which is
 * exactly an IDMS rule without mirrorSourcePolicy (MCO's convertICSPToIDMS does
 * the same before merging). The IDMS keeps the ICSP's name unless another IDMS
 * already has it.
 */
export function migrateIcsp(sets: MirrorSet[], opts: {deleteIcsp: boolean}): Migration {
  const idmsNames = new Set(sets.filter((s) => s.kind === 'ImageDigestMirrorSet').map((s) => s.name));
  const pairs: MigrationPair[] = [];
  const changes: ObjectChange[] = [];
  const out: MirrorSet[] = [];
  const created: MirrorSet[] = [];
  for (const s of sets) {
    if (s.kind !== 'ImageContentSourcePolicy') {
      out.push(cloneSet(s));
      continue;
    }
    const rules = s.rules.map((r) => ({source: r.source, mirrors: [...r.mirrors], mirrorSourcePolicy: ''}));
    const same = sets.find((x) => x.kind === 'ImageDigestMirrorSet' && x.name === s.name && JSON.stringify(x.rules.map((r) => [r.source, r.mirrors, r.mirrorSourcePolicy])) === JSON.stringify(rules.map((r) => [r.source, r.mirrors, ''])));
    let name = s.name;
    if (!same && idmsNames.has(name)) name = generatedName(`${s.name}-from-icsp`, idmsNames);
    idmsNames.add(name);
    const idms: MirrorSet = {kind: 'ImageDigestMirrorSet', name, rules};
    pairs.push({icsp: cloneSet(s), idms, alreadyMigrated: Boolean(same)});
    if (!same) {
      created.push(idms);
      changes.push({action: 'create', kind: idms.kind, name: idms.name, after: cloneSet(idms), ruleOrigin: rules.map(() => -1)});
    }
    if (opts.deleteIcsp) changes.push({action: 'delete', kind: s.kind, name: s.name, before: cloneSet(s)});
    else out.push(cloneSet(s));
  }
  return {pairs, sets: [...out, ...created.map(cloneSet)], changes};
}

/** The Kubernetes object for a mirror set, as the tool writes it. */
export function mirrorSetObject(set: MirrorSet): Record<string, unknown> {
  const list = set.rules.map((r) => {
    const o: Record<string, unknown> = {source: r.source};
    if (r.mirrors.length > 0) o.mirrors = [...r.mirrors];
    if (set.kind !== 'ImageContentSourcePolicy' && r.mirrorSourcePolicy) o.mirrorSourcePolicy = r.mirrorSourcePolicy;
    return o;
  });
  return {apiVersion: API_VERSION[set.kind], kind: set.kind, metadata: {name: set.name}, spec: {[LIST_KEY[set.kind]]: list}};
}
