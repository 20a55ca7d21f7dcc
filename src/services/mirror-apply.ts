/**
 * `mirror apply DIR`: oc-mirror output (v1 results, v2 cluster-resources) planned
 * and applied through the same plan/apply path as every edit (edit-session.ts),
 * live or into GitOps manifests (-f). With --staged, the low-disruption order:
 * stage 1 adds the new mirrors and keeps every current entry, waits for the
 * pools (live), stage 2 takes out the old entries and deletes replaced ICSPs.
 */
import {ClusterError, ValidationError} from '../lib/errors.js';
import {runEdit, toCurrent, type SessionHooks, type SessionOptions, type SessionResult} from './edit-session.js';
import type {ExtraRef} from '../cluster/live-state.js';
import {readOcMirrorDir} from '../cluster/oc-mirror-files.js';
import type {CurrentObject} from '../model/edit.js';
import {loadManifests} from '../model/manifests.js';
import {interpretOcMirror, lostEntries, ocMirrorEditor, podsLosingMirrors, type MirrorEntry, type OcMirrorOutput, type PodLosingMirror} from '../model/oc-mirror.js';
import {plan} from '../render/plan.js';

export interface MirrorApplyOptions extends SessionOptions {
  dir: string;
  staged: boolean;
  includeCatalogs: boolean;
}

export interface MirrorApplyHooks extends SessionHooks {
  /** What the preview adds to the plans: entries that disappear, pods that lose a mirror, notes. */
  report(r: MirrorApplyReport): void;
  /** A stage begins (its plan follows). */
  stage(title: string): void;
}

export interface MirrorApplyReport {
  dir: string;
  layout: OcMirrorOutput['layout'];
  notes: string[];
  passedThrough: Array<{kind: string; name: string; namespace?: string; file: string; applied: boolean}>;
  /** Mirror entries the cluster (or the manifests) has now and not after the change. */
  lostEntries: MirrorEntry[];
  /** Live: image references of running pods that would lose a mirror (undefined in file mode). */
  podsLosingMirrors?: PodLosingMirror[];
  /** Whether the change takes anything away (only then do stages differ). */
  removes: boolean;
}

export interface MirrorApplyStage {
  name: 'apply' | 'stage 1: add new mirrors' | 'stage 2: remove old entries';
  result: SessionResult;
}

export interface MirrorApplyResult extends MirrorApplyReport {
  stages: MirrorApplyStage[];
  /** File mode with --staged: stage 1 was written; run again once the pools have rolled out. */
  next?: string;
}

const mirrorSetsOf = (objects: CurrentObject[]) => loadManifests([{file: 'state', objects: objects.map((o) => o.body)}]).state.mirrorSets;

const GVR: Record<string, Omit<ExtraRef, 'name' | 'namespace' | 'kind'>> = {
  ConfigMap: {group: '', version: 'v1', plural: 'configmaps'},
  CatalogSource: {group: 'operators.coreos.com', version: 'v1alpha1', plural: 'catalogsources'},
  ClusterCatalog: {group: 'olm.operatorframework.io', version: 'v1', plural: 'clustercatalogs'},
  UpdateService: {group: 'updateservice.operator.openshift.io', version: 'v1', plural: 'updateservices'},
};

/** Objects outside the usual live read that the apply may replace. */
function extraRefs(input: OcMirrorOutput, includeCatalogs: boolean): ExtraRef[] {
  return [...input.signatures, ...(includeCatalogs ? input.passThrough : [])].map((o) => ({...GVR[o.kind]!, kind: o.kind, name: o.name, namespace: o.namespace}));
}

async function readCurrent(opts: MirrorApplyOptions, extra: ExtraRef[]): Promise<{current: CurrentObject[]; pods?: () => Promise<import('../model/oc-mirror.js').PodImage[]>}> {
  if (opts.file && opts.file.length > 0) {
    const {readManifests} = await import('../cluster/manifest-files.js');
    const loaded = loadManifests(await readManifests(opts.file));
    if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
    return {current: toCurrent(loaded.objects)};
  }
  const {connect} = await import('../cluster/kube.js');
  const {readLiveState} = await import('../cluster/live-state.js');
  const {listPodImages} = await import('../cluster/pods.js');
  const kube = await connect(opts);
  const live = await readLiveState(opts, [], kube, extra);
  return {current: toCurrent(live.objects), pods: () => listPodImages(kube)};
}

export async function runMirrorApply(opts: MirrorApplyOptions, hooks: MirrorApplyHooks): Promise<MirrorApplyResult> {
  const raw = await readOcMirrorDir(opts.dir);
  const input = interpretOcMirror(raw.files);
  if (input.problems.length > 0) throw new ValidationError(input.problems);
  const extra = extraRefs(input, opts.includeCatalogs);
  const session: SessionOptions = {...opts, extraObjects: extra};
  const final = ocMirrorEditor(input, {includeCatalogs: opts.includeCatalogs, stage: 'final'});
  const add = ocMirrorEditor(input, {includeCatalogs: opts.includeCatalogs, stage: 'add'});

  // The preview: what disappears with the new sets, and who uses it today.
  const {current, pods} = await readCurrent(opts, extra);
  const target = plan(current, final, {releaseImage: opts.releaseImage});
  const lost = lostEntries(mirrorSetsOf(current), mirrorSetsOf(target.newObjects));
  const removes = lost.length > 0 || target.changes.some((c) => c.action === 'delete');
  const report: MirrorApplyReport = {
    dir: raw.dir,
    layout: input.layout,
    notes: [...raw.notes, ...input.notes],
    passedThrough: input.passThrough.map((o) => ({kind: o.kind, name: o.name, namespace: o.namespace, file: o.file, applied: opts.includeCatalogs})),
    lostEntries: lost,
    removes,
  };
  for (const o of current) {
    // Full-set semantics replace by name only: an older oc-mirror set this output has no counterpart for stays.
    const by = ((o.body.metadata as {annotations?: Record<string, string>} | undefined)?.annotations ?? {}).createdBy ?? '';
    if (/^oc-mirror/.test(by) && ['ImageDigestMirrorSet', 'ImageTagMirrorSet'].includes(o.kind) && !input.mirrorSets.some((i) => i.kind === o.kind && i.name === o.name)) {
      report.notes.push(`${o.kind} ${o.name} (created by ${by}) is not in this output and stays as it is; delete it if its images are no longer mirrored`);
    }
  }
  if (pods && lost.length === 0) report.podsLosingMirrors = [];
  else if (pods) {
    try {
      report.podsLosingMirrors = podsLosingMirrors(await pods(), mirrorSetsOf(current), mirrorSetsOf(target.newObjects));
    } catch (e) {
      // Without the right to list pods the preview still stands; say what is missing.
      if (!(e instanceof ClusterError)) throw e;
      report.notes.push(`pods not checked for lost mirrors: ${e.message}`);
    }
  }
  hooks.report(report);

  const live = !(opts.file && opts.file.length > 0);
  if (!opts.staged || !removes) {
    if (opts.staged) hooks.progress('--staged: nothing is taken away, so there is only one stage');
    return {...report, stages: [{name: 'apply', result: await runEdit(final, session, hooks)}]};
  }
  hooks.stage('Stage 1 of 2: add the new mirrors; every current entry stays');
  const r1 = await runEdit(add, {...session, wait: live && !opts.dryRun}, hooks);
  const stages: MirrorApplyStage[] = [{name: 'stage 1: add new mirrors', result: r1}];
  if (opts.dryRun) {
    // Stage 2 as it would run on top of stage 1.
    const p2 = plan(r1.plan.newObjects, final, {releaseImage: opts.releaseImage, strict: opts.strict, label: r1.mode === 'live' ? 'cluster' : (opts.file ?? []).join(',')});
    hooks.stage('Stage 2 of 2 (after the pools have rolled out stage 1): remove the old entries and the replaced ImageContentSourcePolicies');
    hooks.show(p2);
    stages.push({name: 'stage 2: remove old entries', result: {...r1, plan: p2, applied: [], written: [], confirmed: false, wait: undefined}});
    return {...report, stages};
  }
  if (!r1.plan.noop && !r1.confirmed) return {...report, stages};
  if (!live && !r1.plan.noop) {
    return {...report, stages, next: 'stage 1 is written; once your GitOps tool has applied it and the pools have rolled out, run the same command again for stage 2'};
  }
  hooks.progress(r1.plan.noop ? 'Stage 1 is already in place' : 'Stage 1 has rolled out');
  hooks.stage('Stage 2 of 2: remove the old entries and the replaced ImageContentSourcePolicies');
  stages.push({name: 'stage 2: remove old entries', result: await runEdit(final, session, hooks)});
  return {...report, stages};
}
