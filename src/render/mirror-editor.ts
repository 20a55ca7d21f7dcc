/**
 * `mirror add` / `mirror remove` as an Editor of the shared editing path
 * (model/plan.ts): current objects -> changed mirror-set objects, so mirrors get
 * the same plan, preview, confirmation, file and live apply as every other
 * editing command. Pure.
 */
import type {Problem} from '../lib/errors.js';
import type {Warning} from '../model/warnings.js';
import {effectiveMirrors, payloadBlockRefusal} from './mirrors.js';
import type {EditChange, Editor} from '../model/edit.js';
import type {ClusterState} from '../model/types.js';
import {loadManifests} from '../model/manifests.js';
import {addMirrors, LIST_KEY, mirrorSetObject, removeMirrors, SHORT_KIND, type MirrorAddIntent, type MirrorEdit, type MirrorRemoveIntent, type ObjectChange} from '../model/mirrors.js';

export type MirrorIntent = ({op: 'add'} & MirrorAddIntent) | ({op: 'remove'} & MirrorRemoveIntent);

function describe(c: ObjectChange, intent: MirrorIntent): string {
  const obj = `${SHORT_KIND[c.kind]} ${c.name}`;
  if (c.action === 'delete') return `delete ${obj} (no rules left)`;
  const before = c.before?.rules.find((r) => r.source === intent.source);
  const after = c.after?.rules.find((r) => r.source === intent.source);
  const added = (after?.mirrors ?? []).filter((m) => !before?.mirrors.includes(m));
  const removed = (before?.mirrors ?? []).filter((m) => !after?.mirrors.includes(m));
  const parts: string[] = [];
  if (added.length) parts.push(`add mirror${added.length > 1 ? 's' : ''} ${added.join(', ')} for ${intent.source}`);
  if (removed.length) parts.push(`remove mirror${removed.length > 1 ? 's' : ''} ${removed.join(', ')} of ${intent.source}`);
  if (before && !after) parts.push(`remove the rule for ${intent.source}`);
  if ((after?.mirrorSourcePolicy ?? '') !== (before?.mirrorSourcePolicy ?? '') && after?.mirrorSourcePolicy) parts.push(`set mirrorSourcePolicy ${after.mirrorSourcePolicy}`);
  return `${parts.join('; ') || 'change'} in ${obj}${c.action === 'create' ? ' (new object)' : ''}`;
}

/** Lines showing the order nodes try for the source after the edit (merged across every object, as MCO writes it). */
export function pullOrderLines(edit: MirrorEdit, source: string): string[] {
  const e = effectiveMirrors(edit.sets).find((x) => x.source === source);
  if (!e) return [`nodes pull ${source} from the source only (no mirrors)`];
  const steps = e.mirrors.map((m, i) => `${i + 1}. ${m.location} (${m.pullFromMirror})`);
  if (!e.sourceBlocked) steps.push(`${steps.length + 1}. ${source} (the source)`);
  return [`pull order for ${source} on nodes: ${steps.join(', ')}${e.sourceBlocked ? '; the source itself is never contacted' : ''}`];
}

/**
 * Blocked scopes covering the release payload that MCO starts (or stops)
 * honouring because the payload gains (or loses) its last usable digest mirror.
 */
function blockEffects(before: ClusterState, after: ClusterState): {notes: string[]; problems: Problem[]} {
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const scope of before.image?.spec.registrySources?.blockedRegistries ?? []) {
    const was = payloadBlockRefusal(before, scope);
    const now = payloadBlockRefusal(after, scope);
    if (!was.coversPayload) continue;
    if (was.refused && !now.refused) notes.push(`blockedRegistries entry ${scope} now takes effect: the release payload ${now.payloadRepo} has a usable digest mirror, so MCO stops dropping it (registries.conf gets blocked = true)`);
    if (!was.refused && now.refused) {
      problems.push({
        field: 'spec.registrySources.blockedRegistries',
        value: scope,
        message: `is in effect only because the release payload ${now.payloadRepo} has a usable digest mirror; after this change MCO would silently stop blocking it (${now.mirrors.length === 0 ? 'no digest mirror left' : 'no unblocked digest mirror left'}). Keep a digest mirror for ${now.payloadRepo}, or remove the block first`,
      });
    }
  }
  return {notes, problems};
}

/**
 * The Editor. Warnings specific to mirrors (blocked or non-allowed mirror
 * registries, deprecated ICSP) are returned in `warnings`.
 */
export function mirrorEditor(intent: MirrorIntent): Editor {
  return (ctx) => {
    const state = loadManifests([{file: 'objects', objects: ctx.objects.map((o) => o.body)}]).state;
    // Messages name the object's file:line (or API path) as it was read.
    for (const s of state.mirrorSets) s.source = ctx.find(s.kind, s.name)?.source;
    const edit = intent.op === 'add' ? addMirrors(state, intent) : removeMirrors(state, intent);
    const changes: EditChange[] = edit.changes.map((c) => {
      if (c.action === 'delete') return {kind: c.kind, name: c.name, after: undefined};
      const fresh = mirrorSetObject(c.after!);
      const cur = ctx.find(c.kind, c.name);
      if (!cur) return {kind: c.kind, name: c.name, after: fresh};
      // Keep everything else of the object (labels, annotations, other fields) as it is.
      const body = structuredClone(cur.body);
      const spec = (body.spec && typeof body.spec === 'object' ? body.spec : {}) as Record<string, unknown>;
      body.spec = {...spec, [LIST_KEY[c.kind]]: (fresh.spec as Record<string, unknown>)[LIST_KEY[c.kind]]};
      return {kind: c.kind, name: c.name, after: body};
    });
    const summary = [...edit.changes.map((c) => describe(c, intent)), ...edit.notes];
    if (edit.changes.length > 0 && edit.problems.length === 0) summary.push(...pullOrderLines(edit, intent.source));
    const problems = [...edit.problems];
    if (edit.changes.length > 0 && edit.problems.length === 0) {
      const effects = blockEffects(state, {...state, mirrorSets: edit.sets});
      summary.push(...effects.notes);
      problems.push(...effects.problems);
    }
    const warnings: Warning[] = [...edit.warnings];
    return {changes, problems, summary, warnings};
  };
}
