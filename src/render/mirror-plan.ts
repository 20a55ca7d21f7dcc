/**
 * The plan for a mirror-set edit: object diffs, node-file diffs, the predicted
 * disruption, validation against the API server's and MCO's rules. Pure:
 * `mirror add/remove` in live and file mode show and apply exactly this.
 */
import {ValidationError, type Problem} from '../lib/errors.js';
import {unifiedDiff} from '../lib/unified-diff.js';
import type {Warning} from '../lib/warnings.js';
import {objectYaml} from '../model/manifest-edit.js';
import {SHORT_KIND, type MirrorEdit, type ObjectChange} from '../model/mirrors.js';
import type {ClusterState} from '../model/types.js';
import {validateMirrorSets} from '../model/validate.js';
import {renderMco} from './mco.js';
import {effectiveMirrors, FALLBACK_RELEASE_IMAGE, nodeFiles, predictDisruption, type Disruption, type EffectiveMirrors} from './mirrors.js';
import {REGISTRIES_CONF_PATH} from './templates.js';

export interface PlannedObject {
  action: ObjectChange['action'];
  kind: string;
  name: string;
  /** YAML of the object as the tool writes it, before and after (absent when created / deleted). */
  before?: string;
  after?: string;
  diff: string;
}

export interface PlannedFile {
  path: string;
  diff: string;
  after: string;
}

export interface MirrorPlan {
  /** Nothing to change (already present / absent): exit 0, nothing written. */
  noop: boolean;
  objects: PlannedObject[];
  /** Node files that change, with unified diffs. */
  files: PlannedFile[];
  /** The node's registries.conf after the change. */
  registriesConf: string;
  /** Pull order per source after the change, for the sources the edit touched. */
  effective: EffectiveMirrors[];
  disruption: Disruption;
  notes: string[];
}

function renderState(state: ClusterState): ClusterState {
  return {...state, image: state.image ?? {name: 'cluster', spec: {}}, releaseImage: state.releaseImage ?? FALLBACK_RELEASE_IMAGE};
}

const label = (c: ObjectChange) => `${c.kind.toLowerCase()}.${c.kind === 'ImageContentSourcePolicy' ? 'operator' : 'config'}.openshift.io/${c.name}`;

/**
 * Validate and plan. Throws ValidationError (exit 2) for anything the API
 * server or MCO would refuse; warnings go to `warn`.
 */
export function planMirrorEdit(state: ClusterState, edit: MirrorEdit, warn: (w: Warning) => void, touchedSources: string[]): MirrorPlan {
  const problems: Problem[] = [...edit.problems];
  if (problems.length > 0) throw new ValidationError(problems);
  const after: ClusterState = {...state, mirrorSets: edit.sets};
  const changedNames = new Set(edit.changes.map((c) => `${c.kind}/${c.name}`));
  problems.push(...validateMirrorSets(after).filter((p) => [...changedNames].some((n) => p.field.startsWith(n + ' '))));
  const a = renderMco(renderState(state));
  const b = renderMco(renderState(after));
  if (b.error && edit.changes.length > 0) {
    problems.push({field: b.error.field ?? 'mirror sets', value: b.error.value, message: `MCO would refuse the whole sync and no pool would get any registry change: ${b.error.message}`, mco: b.error.message});
  }
  if (problems.length > 0) throw new ValidationError(problems);
  for (const w of edit.warnings) warn(w);

  const notes = [...edit.notes];
  const droppedBefore = new Set(a.warnings.filter((w) => w.value).flatMap((w) => w.value!.split(', ')));
  const droppedAfter = new Set(b.warnings.filter((w) => w.value).flatMap((w) => w.value!.split(', ')));
  for (const s of droppedBefore) {
    if (!droppedAfter.has(s)) notes.push(`blockedRegistries entry ${s} now takes effect: the release payload has a usable digest mirror, so MCO stops dropping it (registries.conf gets blocked = true)`);
  }
  for (const s of droppedAfter) {
    if (!droppedBefore.has(s)) warn({code: 'payload-block-dropped', field: 'spec.registrySources.blockedRegistries', message: `after this change MCO drops blockedRegistries entry ${s}: the release payload loses its last usable digest mirror, so ${s} is no longer blocked on nodes`});
  }

  const objects: PlannedObject[] = edit.changes.map((c) => {
    const before = c.before ? objectYaml(c.before) : undefined;
    const afterY = c.after ? objectYaml(c.after) : undefined;
    return {
      action: c.action,
      kind: c.kind,
      name: c.name,
      ...(before !== undefined ? {before} : {}),
      ...(afterY !== undefined ? {after: afterY} : {}),
      diff: unifiedDiff(before ?? '', afterY ?? '', {from: before !== undefined ? label(c) : '/dev/null', to: afterY !== undefined ? label(c) : '/dev/null'}),
    };
  });
  const fa = a.error ? new Map<string, string>() : nodeFiles(a);
  const fb = nodeFiles(b);
  const files: PlannedFile[] = [];
  for (const [path, content] of fb) {
    const old = fa.get(path) ?? '';
    if (old !== content) files.push({path, after: content, diff: unifiedDiff(old, content, {from: `a${path}`, to: `b${path}`})});
  }
  const effective = effectiveMirrors(edit.sets).filter((e) => touchedSources.includes(e.source));
  return {
    noop: edit.changes.length === 0,
    objects,
    files,
    registriesConf: fb.get(REGISTRIES_CONF_PATH)!,
    effective,
    disruption: a.error ? {kind: 'drain', reason: 'the current configuration does not render (MCO refuses it); nodes still have older files, so the change is compared against unknown content'} : predictDisruption(fa, fb),
    notes,
  };
}

/** The plan as text: what changes in the objects, what changes on nodes, what it costs. */
export function formatPlan(plan: MirrorPlan, paint: {add: (s: string) => string; del: (s: string) => string; bold: (s: string) => string; dim: (s: string) => string}): string {
  const out: string[] = [];
  const colour = (d: string) =>
    d
      .split('\n')
      .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? paint.add(l) : l.startsWith('-') && !l.startsWith('---') ? paint.del(l) : l))
      .join('\n');
  if (plan.noop) {
    out.push('No change: the mirror sets already say this.');
    return out.join('\n');
  }
  for (const o of plan.objects) {
    out.push(paint.bold(`# ${o.action} ${SHORT_KIND[o.kind as keyof typeof SHORT_KIND] ?? o.kind} ${o.name}`));
    out.push(colour(o.diff).trimEnd());
  }
  for (const f of plan.files) {
    out.push(paint.bold(`# node file ${f.path}`));
    out.push(colour(f.diff).trimEnd());
  }
  if (plan.files.length === 0) out.push(paint.dim('# node files: unchanged'));
  for (const e of plan.effective) {
    out.push(paint.bold(`# pull order for ${e.source}${e.sourceBlocked ? ' (source never contacted)' : ''}`));
    e.mirrors.forEach((m, i) => out.push(`  ${i + 1}. ${m.location}  (${m.pullFromMirror})`));
    if (!e.sourceBlocked) out.push(`  ${e.mirrors.length + 1}. ${e.source}  (the source itself)`);
  }
  out.push(paint.bold('# disruption: ') + `${plan.disruption.kind} — ${plan.disruption.reason}`);
  return out.join('\n');
}
