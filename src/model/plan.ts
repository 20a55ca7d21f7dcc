/**
 * plan(current objects, editor) -> what an edit would do, before anything is
 * written: the new objects, errors (exit 2), warnings, the node files rendered
 * before and after with their diffs, the pools affected and the predicted
 * disruption. Pure: the editor is the only intent-specific step, so every
 * editing command (allow, block, ..., trust-ca, mirror) shares this.
 */
import {payloadBlockRefusal} from '../render/mirrors.js';
import {stringify} from 'yaml';
import {formatProblem, type Problem} from '../lib/errors.js';
import {unifiedDiff} from '../lib/unified-diff.js';
import {ART_REPO, configurationWarnings, DEFAULT_RELEASE_REPO, type Warning} from '../lib/warnings.js';
import {renderNodeView, type ViewFile} from '../render/node-view.js';
import {POLICY_JSON_PATH} from '../render/templates.js';
import type {FileDisruption, PoolDisruption} from './disruption.js';
import {makeContext, type CurrentObject, type Editor, type ObjectKey} from './edit.js';
import {loadManifests} from './manifests.js';
import {disruptionRules, fileVerdict, poolVerdict} from './node-disruption.js';
import {parseNormalizedNamed, refName} from './reference.js';
import {scopeIsNestedInsideScope} from './scope.js';
import type {ClusterState} from './types.js';
import {validateState} from './validate.js';

export const ASSUMED_RELEASE_IMAGE = `${DEFAULT_RELEASE_REPO}@sha256:${'0'.repeat(64)}`;

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
}

export interface FileChange {
  path: string;
  /** Who writes it: the generated MachineConfig, the base template, or the daemon (CA files). */
  origin: string;
  diff: string;
  disruption: FileDisruption;
}

export interface RenderedFile {
  path: string;
  content: string;
  origin: string;
  changed: boolean;
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
  renderedBefore: RenderedFile[];
  renderedAfter: RenderedFile[];
  files: FileChange[];
  /** Pools whose nodes are touched (disruption other than none). */
  pools: string[];
  disruption: PoolDisruption[];
  release: {image: string; version?: string; assumed: boolean};
}

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

function stateOf(objects: CurrentObject[], label: string): {state: ClusterState; problems: Problem[]} {
  const res = loadManifests([{file: label, objects: objects.map((o) => o.body)}]);
  return {state: res.state, problems: res.problems};
}

function payloadRepoOf(image: string): string {
  try {
    return refName(parseNormalizedNamed(image));
  } catch {
    return DEFAULT_RELEASE_REPO;
  }
}

function poolNames(state: ClusterState): string[] {
  if (state.pools.length === 0) return ['master', 'worker'];
  return state.pools.map((p) => p.name).sort();
}

function toRendered(files: ViewFile[]): RenderedFile[] {
  return files.map((f) => ({path: f.path, content: f.content, origin: f.origin, changed: f.changed}));
}

/** The blocked scopes MCO would drop (covering the payload without a usable digest mirror). */
function droppedScopes(state: ClusterState, warned: boolean, payloadRepo: string): string[] {
  if (!warned) return [];
  return (state.image?.spec.registrySources?.blockedRegistries ?? []).filter((b) => scopeIsNestedInsideScope(payloadRepo, b));
}

function isPaused(current: CurrentObject[], pool: string): boolean {
  const o = current.find((x) => x.kind === 'MachineConfigPool' && x.name === pool);
  return (o?.body.spec as {paused?: boolean} | undefined)?.paused === true;
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
    changes.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, action, before: before?.body, after: ch.after, diff, source: before?.source});
    const idx = newObjects.findIndex((o) => keyOf(o) === k);
    if (!ch.after) newObjects.splice(idx, 1);
    else if (idx >= 0) newObjects[idx] = {...newObjects[idx]!, body: ch.after};
    else newObjects.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, body: ch.after});
  }

  const beforeState = stateOf(current, label).state;
  const after = stateOf(newObjects, label);
  const afterState = after.state;
  const cv = current.find((o) => o.kind === 'ClusterVersion');
  const version = ((cv?.body.status as {desired?: {version?: string}} | undefined)?.desired?.version) || undefined;
  const assumed = !afterState.releaseImage && !opts.releaseImage;
  const releaseImage = opts.releaseImage ?? afterState.releaseImage ?? ASSUMED_RELEASE_IMAGE;
  beforeState.releaseImage = releaseImage;
  afterState.releaseImage = releaseImage;
  const payloadRepo = payloadRepoOf(releaseImage);

  if (changes.length > 0) {
    // Everything the API server would refuse about the objects we write is an error; problems that
    // were already there in objects this edit does not touch are reported, not blocking.
    const touched = changes.map((c) => `/${c.kind.toLowerCase()}/${c.name}`);
    const isTouched = (p: Problem) => touched.some((t) => (p.source ?? '').includes(t));
    const before = new Set([...stateOf(current, label).problems, ...validateState(beforeState)].map((p) => formatProblem(p)));
    for (const p of [...after.problems, ...validateState(afterState)]) {
      if (isTouched(p) || !before.has(formatProblem(p))) errors.push(p);
      else warnings.push({code: 'existing-invalid', field: p.field, message: `already in the cluster and left as it is: ${formatProblem(p)}`});
    }
  }

  const viewBefore = renderNodeView(beforeState);
  const viewAfter = renderNodeView(afterState);
  if (changes.length > 0) {
    if (viewAfter.outcome.error) {
      const e = viewAfter.outcome.error;
      if (viewBefore.outcome.error?.message === e.message) {
        warnings.push({code: 'mco-refuses', field: e.field, message: `MCO already refuses the whole sync (nodes keep old files) and still will after this edit: ${e.message}`});
      } else errors.push({field: e.field ?? 'spec', value: e.value, message: `MCO would refuse the whole sync and nodes would keep their current files: ${e.message}`, mco: e.message});
    }
    errors.push(...viewAfter.problems);
    const isDrop = (w: {code?: string}) => w.code === undefined || w.code === 'payload-blocked-dropped';
    const droppedBefore = droppedScopes(beforeState, viewBefore.outcome.warnings.some(isDrop), payloadRepo);
    const droppedAfter = droppedScopes(afterState, viewAfter.outcome.warnings.some(isDrop), payloadRepo);
    const fresh = droppedAfter.filter((d) => !droppedBefore.includes(d));
    for (const d of fresh) {
      // One explanation for every command that can make MCO drop a payload block (block add, mirror remove, ...).
      const check = payloadBlockRefusal(afterState, d);
      const commands = check.command ? [check.command] : [];
      if (check.command && ART_REPO !== check.payloadRepo && scopeIsNestedInsideScope(ART_REPO, d)) {
        // The component images are pulled by digest from ART_REPO: blocking it needs a mirror too.
        const mirrorHost = check.command.split(' ').pop()!.split('/')[0];
        commands.push(`oc registries mirror add ${ART_REPO} ${mirrorHost}/${ART_REPO.slice(ART_REPO.indexOf('/') + 1)}`);
      }
      errors.push({
        field: 'spec.registrySources.blockedRegistries',
        value: d,
        message: `${check.reason ?? `covers the release payload repository ${payloadRepo}, which has no usable digest mirror: MCO would silently drop this entry`}${commands.length ? `: ${commands.map((c) => `\`${c}\``).join(' and ')}` : ''}, then block ${d}`,
        mco: viewAfter.outcome.warnings.find(isDrop)?.message,
      });
    }
    for (const d of droppedAfter.filter((x) => droppedBefore.includes(x))) {
      warnings.push({code: 'mco-dropped', field: 'spec.registrySources.blockedRegistries', message: `blockedRegistries entry ${d} is already dropped by MCO (it covers the payload ${payloadRepo}, which has no usable digest mirror)`});
    }
  }
  if (assumed && (afterState.image?.spec.registrySources?.blockedRegistries ?? []).length > 0) {
    warnings.push({code: 'release-image-assumed', message: `no ClusterVersion in the input: assuming the release payload lives in ${DEFAULT_RELEASE_REPO} (pass --release-image to be exact)`});
  }
  warnings.push(...configurationWarnings(afterState));
  for (const w of viewAfter.outcome.warnings) {
    if (w.code === 'order-dependent') warnings.push({code: 'mco-order-dependent', field: w.field, message: w.message});
    else if (w.code === 'hint') warnings.push({code: 'mco-hint', field: w.field, message: w.message});
  }
  const policyAfter = viewAfter.files.find((f) => f.path === POLICY_JSON_PATH);
  if (policyAfter?.changed && !afterState.image?.spec.registrySources?.allowedRegistries && /"default": \[\s*\{\s*"type": "reject"/.test(policyAfter.content)) {
    // FINDINGS 1.1 (same rule and code as the render service).
    warnings.push({code: 'implicit-allowlist', field: 'spec.registrySources.blockedRegistries', message: `blocking exactly the payload repository makes MCO write policy.json with default "reject": only ${payloadRepo} stays pullable on every node (an allowlist nobody asked for); block a wider scope (e.g. the registry) or add another blocked entry`});
  }
  if (opts.strict) {
    for (const w of warnings) errors.push({field: w.field ?? 'configuration', message: `${w.message} (an error with --strict)`});
  }

  // Node files that change, and what that does to the nodes: the cluster's own rules (node-disruption.ts).
  const mc = current.find((o) => o.kind === 'MachineConfiguration' && o.name === 'cluster');
  const rules = disruptionRules({machineConfiguration: mc ? {body: mc.body, source: mc.source} : undefined, version});
  errors.push(...rules.problems);
  const files: FileChange[] = [];
  const paths = [...new Set([...viewBefore.files.map((f) => f.path), ...viewAfter.files.map((f) => f.path)])];
  for (const path of paths) {
    const b = viewBefore.files.find((f) => f.path === path);
    const a = viewAfter.files.find((f) => f.path === path);
    if (b?.content === a?.content) continue;
    files.push({
      path,
      origin: (a ?? b)!.origin,
      diff: unifiedDiff(b?.content ?? '', a?.content ?? '', {fromLabel: b ? `${path} (current)` : '/dev/null', toLabel: a ? `${path} (new)` : '/dev/null'}),
      disruption: fileVerdict(path, b?.content, a?.content, rules.rules, (a ?? b)!.origin),
    });
  }
  const pools = poolNames(afterState);
  const verdict = poolVerdict(files.filter((f) => f.origin !== 'daemon').map((f) => f.disruption as ReturnType<typeof fileVerdict>));
  const level = verdict.level;
  const paused = new Set(pools.filter((p) => isPaused(current, p)));
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
    renderedBefore: toRendered(viewBefore.files),
    renderedAfter: toRendered(viewAfter.files),
    files,
    pools: level === 'none' ? [] : pools,
    disruption,
    release: {image: releaseImage, version, assumed},
  };
}
