/**
 * plan(current objects, editor) -> what an edit would do, before anything is
 * written: the new objects, errors (exit 2), warnings, the node files rendered
 * before and after with their diffs, the pools affected and the predicted
 * disruption. Pure: the editor is the only intent-specific step, so every
 * editing command (allow, block, ..., trust-ca, mirror) shares this.
 */
import {stringify} from 'yaml';
import {formatProblem, type Problem} from '../lib/errors.js';
import {unifiedDiff} from '../lib/unified-diff.js';
import type {NodeFile} from '../model/node-files.js';
import {ART_REPO, type Release} from '../model/release.js';
import type {Warning} from '../model/warnings.js';
import {evaluate, type Evaluation} from './evaluate.js';
import {payloadBlockRefusal} from './mirrors.js';
import type {FileDisruption, PoolDisruption} from '../model/disruption.js';
import {disruptionRules, fileVerdict, poolVerdict} from '../model/node-disruption.js';
import {makeContext, type CurrentObject, type Editor, type ObjectKey} from '../model/edit.js';
import {loadManifests} from '../model/manifests.js';
import {scopeIsNestedInsideScope} from '../model/scope.js';
import type {ClusterState} from '../model/types.js';

export interface PlanOptions {
  /** Release payload image when the objects hold no ClusterVersion. */
  releaseImage?: string;
  /** Turn warnings into errors. */
  strict?: boolean;
  /** Names the input in messages (`cluster`, a manifest path). */
  label?: string;
}

export interface ObjectChange extends ObjectKey {
  action: 'create' | 'update' | 'delete';
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Unified diff of the object YAML (server-managed metadata left out). */
  diff: string;
  source?: string;
  /** In manifest files, this object takes the place of that one (see EditChange). */
  replaces?: ObjectKey;
}

export interface FileChange {
  path: string;
  /** Who writes it: the generated MachineConfig, the base template, or the daemon (CA files). */
  origin: NodeFile['origin'];
  diff: string;
  disruption: FileDisruption;
}

export interface Plan {
  /** What the edit does, one line each; empty for a no-op. */
  summary: string[];
  noop: boolean;
  changes: ObjectChange[];
  /** Every object after the edit (unchanged ones included). */
  newObjects: CurrentObject[];
  errors: Problem[];
  warnings: Warning[];
  renderedBefore: NodeFile[];
  renderedAfter: NodeFile[];
  files: FileChange[];
  /** Pools whose nodes are touched (disruption other than none). */
  pools: string[];
  disruption: PoolDisruption[];
  release: Release;
  /** MCO's refusal of the whole sync before and after the edit, when there is one. */
  mcoRefusal: {before?: string; after?: string};
}

/** Origins of the files MCO itself writes (the generated MachineConfig, or the template it leaves). */
export const MCO_ORIGINS: NodeFile['origin'][] = ['machineconfig', 'template'];

const keyOf = (o: ObjectKey) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;

/** The object as shown in diffs: without server-managed metadata and status. */
export function displayObject(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {...body};
  const meta = {...((body.metadata ?? {}) as Record<string, unknown>)};
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete meta[k];
  const ann = meta.annotations as Record<string, unknown> | undefined;
  if (ann && 'kubectl.kubernetes.io/last-applied-configuration' in ann) {
    const a = {...ann};
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    meta.annotations = a;
  }
  out.metadata = meta;
  delete out.status;
  return out;
}

function objectYaml(body: Record<string, unknown> | undefined): string {
  return body ? stringify(displayObject(body), {lineWidth: 0}) : '';
}

function objectLabel(o: ObjectKey): string {
  const plural: Record<string, string> = {Image: 'images.config.openshift.io', ConfigMap: 'configmaps', ImageDigestMirrorSet: 'imagedigestmirrorsets.config.openshift.io', ImageTagMirrorSet: 'imagetagmirrorsets.config.openshift.io', ImageContentSourcePolicy: 'imagecontentsourcepolicies.operator.openshift.io'};
  return `${o.namespace ? `${o.namespace}/` : ''}${plural[o.kind] ?? o.kind}/${o.name}`;
}

/** The pools a change reaches: every pool (all render the same files); master and worker when none are known. */
function poolNames(state: ClusterState): string[] {
  if (state.pools.length === 0) return ['master', 'worker'];
  return state.pools.map((p) => p.name).sort();
}

function loadedOf(objects: CurrentObject[], label: string) {
  return {...loadManifests([{file: label, objects: objects.map((o) => o.body)}]), texts: new Map<string, string>()};
}

/** A blocked scope the edit makes MCO drop: why, and the mirror commands that would let it take effect. */
function droppedBlockError(after: Evaluation, scope: string): Problem {
  // One explanation for every command that can make MCO drop a payload block (block add, mirror remove, ...).
  const check = payloadBlockRefusal(after.state, scope);
  const commands = check.command ? [check.command] : [];
  if (check.command && ART_REPO !== check.payloadRepo && scopeIsNestedInsideScope(ART_REPO, scope)) {
    // The component images are pulled by digest from ART_REPO: blocking it needs a mirror too.
    const mirrorHost = check.command.split(' ').pop()!.split('/')[0];
    commands.push(`oc registries mirror add ${ART_REPO} ${mirrorHost}/${ART_REPO.slice(ART_REPO.indexOf('/') + 1)}`);
  }
  return {
    field: 'spec.registrySources.blockedRegistries',
    value: scope,
    message: `${check.reason ?? `covers the release payload repository ${after.payloadRepo}, which has no usable digest mirror: MCO would silently drop this entry`}${commands.length ? `: ${commands.map((c) => `\`${c}\``).join(' and ')}` : ''}, then block ${scope}`,
    mco: after.outcome.warnings.find((w) => w.code === undefined || w.code === 'payload-blocked-dropped')?.message,
  };
}

export function plan(current: CurrentObject[], editor: Editor, opts: PlanOptions = {}): Plan {
  const label = opts.label ?? 'cluster';
  const outcome = editor(makeContext(current));
  const errors: Problem[] = [...outcome.problems];
  const warnings: Warning[] = [...(outcome.warnings ?? [])];

  // New objects: current ones with the edited bodies swapped in, new ones appended.
  const byKey = new Map(current.map((o) => [keyOf(o), o]));
  const changes: ObjectChange[] = [];
  const newObjects: CurrentObject[] = current.map((o) => ({...o}));
  for (const ch of outcome.changes) {
    const k = keyOf(ch);
    const before = byKey.get(k);
    if (before && ch.after && JSON.stringify(before.body) === JSON.stringify(ch.after)) continue;
    if (!before && !ch.after) continue;
    const action = !before ? 'create' : !ch.after ? 'delete' : 'update';
    const diff = unifiedDiff(objectYaml(before?.body), objectYaml(ch.after), {fromLabel: before ? `${objectLabel(ch)} (current)` : '/dev/null', toLabel: ch.after ? `${objectLabel(ch)} (new)` : '/dev/null'});
    changes.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, action, before: before?.body, after: ch.after, diff, source: before?.source, ...(ch.replaces ? {replaces: ch.replaces} : {})});
    const idx = newObjects.findIndex((o) => keyOf(o) === k);
    if (!ch.after) newObjects.splice(idx, 1);
    else if (idx >= 0) newObjects[idx] = {...newObjects[idx]!, body: ch.after};
    else newObjects.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, body: ch.after});
  }

  // One evaluation of the configuration before and after: the plan's warnings about the result are exactly
  // the evaluation's (what `render -f RESULT` reports); the edit adds warnings about the change itself.
  const before = evaluate(loadedOf(current, label), {releaseImage: opts.releaseImage});
  const after = evaluate(loadedOf(newObjects, label), {releaseImage: opts.releaseImage});
  const change = (w: Warning): Warning => ({...w, about: 'change'});
  warnings.forEach((w, i) => (warnings[i] = change(w)));

  if (changes.length > 0) {
    // Everything the API server would refuse about the objects we write is an error; problems that
    // were already there in objects this edit does not touch are reported, not blocking.
    const touched = changes.map((c) => `/${c.kind.toLowerCase()}/${c.name}`);
    const isTouched = (p: Problem) => touched.some((t) => (p.source ?? '').includes(t));
    const already = new Set(before.invalid.map((p) => formatProblem(p)));
    for (const p of after.invalid) {
      if (isTouched(p) || !already.has(formatProblem(p))) errors.push(p);
      else warnings.push(change({code: 'existing-invalid', field: p.field, message: `already in the cluster and left as it is: ${formatProblem(p)}`}));
    }
    if (after.refusal) {
      if (before.refusal?.mco === after.refusal.mco) {
        warnings.push(change({code: 'mco-refuses', field: after.refusal.field, message: `MCO already refuses the whole sync (nodes keep old files) and still will after this edit: ${after.refusal.mco}`}));
      } else errors.push({...after.refusal, source: undefined, message: `MCO would refuse the whole sync and nodes would keep their current files: ${after.refusal.mco}`});
    }
    errors.push(...after.problems);
    for (const d of after.droppedBlocks.filter((x) => !before.droppedBlocks.includes(x))) errors.push(droppedBlockError(after, d));
  }
  warnings.push(...after.warnings);
  if (opts.strict) {
    for (const w of warnings) errors.push({field: w.field ?? 'configuration', message: `${w.message} (an error with --strict)`});
  }

  // Node files that change, and what that does to the nodes: the cluster's own rules (model/node-disruption.ts).
  const mc = current.find((o) => o.kind === 'MachineConfiguration' && o.name === 'cluster');
  const rules = disruptionRules({machineConfiguration: mc ? {body: mc.body, source: mc.source} : undefined, version: after.release.version});
  errors.push(...rules.problems);
  const files: FileChange[] = [];
  const paths = [...new Set([...before.files.map((f) => f.path), ...after.files.map((f) => f.path)])];
  for (const path of paths) {
    const b = before.files.find((f) => f.path === path);
    const a = after.files.find((f) => f.path === path);
    if (b?.content === a?.content) continue;
    files.push({
      path,
      origin: (a ?? b)!.origin,
      diff: unifiedDiff(b?.content ?? '', a?.content ?? '', {fromLabel: b ? `${path} (current)` : '/dev/null', toLabel: a ? `${path} (new)` : '/dev/null'}),
      disruption: fileVerdict(path, b?.content, a?.content, rules.rules, (a ?? b)!.origin),
    });
  }
  const pools = poolNames(after.state);
  const verdict = poolVerdict(files.filter((f) => f.origin !== 'daemon').map((f) => f.disruption as ReturnType<typeof fileVerdict>));
  const level = verdict.level;
  const paused = new Set(pools.filter((p) => (current.find((x) => x.kind === 'MachineConfigPool' && x.name === p)?.body.spec as {paused?: boolean} | undefined)?.paused === true));
  const disruption: PoolDisruption[] = pools.map((pool) => ({
    pool,
    level,
    text: verdict.text,
    reasons: [
      ...files.filter((f) => f.disruption.level === level || level === 'none').map((f) => f.disruption.reason),
      ...(paused.has(pool) && level !== 'none' ? [`pool ${pool} is paused (spec.paused): its nodes do this only once it is unpaused`] : []),
    ],
    release: rules.rules.basis,
  }));

  return {
    summary: outcome.summary,
    noop: changes.length === 0,
    changes,
    newObjects,
    errors,
    warnings,
    renderedBefore: before.files,
    renderedAfter: after.files,
    files,
    pools: level === 'none' ? [] : pools,
    disruption,
    release: after.release,
    mcoRefusal: {before: before.refusal?.mco, after: after.refusal?.mco},
  };
}
