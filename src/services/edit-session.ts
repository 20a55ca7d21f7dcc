/**
 * The I/O side of an edit: read the current objects (live or manifests), plan,
 * let the caller show and confirm, write (optimistic concurrency in live mode,
 * atomic in-place rewrite in file mode), optionally wait for the pools.
 * The intent-specific part is the Editor (model/edit.ts); any command that can
 * express its change as an Editor reuses this whole path.
 */
import {join} from 'node:path';
import {stringify} from 'yaml';
import {ConflictError, ValidationError, type Problem} from '../lib/errors.js';
import {loadManifests, type LoadedObject} from '../model/manifests.js';
import type {CurrentObject, Editor} from '../model/edit.js';
import {plan as makePlan, type Plan, type PlanOptions} from '../render/plan.js';
import {clock} from '../cluster/clock.js';
import type {KubeOptions} from '../cluster/kube.js';
import type {ExtraRef} from '../cluster/live-state.js';
import {readManifests} from '../cluster/manifest-files.js';
import type {Applied} from '../cluster/write-live.js';
import type {WaitResult} from '../cluster/wait.js';

export interface SessionOptions extends KubeOptions {
  file?: string[];
  releaseImage?: string;
  strict?: boolean;
  dryRun?: boolean;
  /** Extra ConfigMaps in openshift-config to read in live mode. */
  configMaps?: string[];
  /** Other named objects the editor may replace, read in live mode (404: absent). */
  extraObjects?: ExtraRef[];
  /** Maximum attempts on 409 Conflict (live mode). */
  maxAttempts?: number;
  wait?: boolean;
  timeoutMs?: number;
  waitIntervalMs?: number;
  /** Write the new objects as files under this directory instead of applying the edit (nothing existing changes). */
  exportTo?: string;
  /** Checks of the edit's own (e.g. mirror migrate's equivalence proof): problems refuse it like plan errors. */
  checks?: (plan: Plan, current: CurrentObject[]) => Problem[];
}

export interface SessionHooks {
  /** Show the plan (first attempt only), before errors are raised. */
  show(plan: Plan): void;
  /** Ask for confirmation; false aborts with nothing written. */
  confirm(plan: Plan): Promise<boolean>;
  progress(line: string): void;
}

export interface SessionResult {
  mode: 'live' | 'file';
  plan: Plan;
  dryRun: boolean;
  confirmed: boolean;
  applied: Applied[];
  written: string[];
  attempts: number;
  /** Target of the write: API server URL and user, or the manifest paths. */
  target: {server?: string; user?: string; files?: string[]};
  wait?: WaitResult;
}

export function toCurrent(objects: LoadedObject[]): CurrentObject[] {
  return objects.map((o) => ({
    kind: o.kind,
    name: o.name,
    namespace: o.namespace,
    body: o.body,
    source: o.line > 0 ? `${o.file}:${o.line}` : o.file,
    file: o.line > 0 ? o.file : undefined,
    doc: o.line > 0 ? o.doc : undefined,
  }));
}

const planOpts = (o: SessionOptions, label: string): PlanOptions => ({releaseImage: o.releaseImage, strict: o.strict, label});

/** The plan plus the edit's own checks; the hooks see the problems before they are raised. */
function planWith(editor: Editor, current: CurrentObject[], opts: SessionOptions, label: string): Plan {
  const plan = makePlan(current, editor, planOpts(opts, label));
  const extra = opts.checks?.(plan, current) ?? [];
  return extra.length > 0 ? {...plan, errors: [...plan.errors, ...extra]} : plan;
}

function check(plan: Plan): void {
  if (plan.errors.length > 0) throw new ValidationError(plan.errors);
}

export async function runFileEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  const inputs = await readManifests(opts.file!);
  const texts = new Map<string, string>();
  for (const i of inputs) if ('text' in i) texts.set(i.file, i.text);
  const loaded = loadManifests(inputs);
  // Two files defining the same object, YAML errors, unknown fields: refuse before planning.
  if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
  const current = toCurrent(loaded.objects);
  const plan = planWith(editor, current, opts, opts.file!.join(','));
  hooks.show(plan);
  check(plan);
  const result: SessionResult = {mode: 'file', plan, dryRun: !!opts.dryRun, confirmed: false, applied: [], written: [], attempts: 1, target: {files: opts.file}};
  if (plan.noop || opts.dryRun) return result;
  if (!(await hooks.confirm(plan))) return result;
  result.confirmed = true;
  const {applyToFiles} = await import('../cluster/edit-files.js');
  result.written = await applyToFiles(plan.changes, current, opts.file!, texts);
  result.applied = plan.changes.map((c) => ({kind: c.kind, name: c.name, namespace: c.namespace, action: c.action}));
  return result;
}

export async function runLiveEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  const {connect} = await import('../cluster/kube.js');
  const {readLiveState} = await import('../cluster/live-state.js');
  const {applyLive, WriteConflict} = await import('../cluster/write-live.js');
  const kube = await connect(opts);
  const max = opts.maxAttempts ?? 10;
  let first: Plan | undefined;
  let confirmed = false;
  for (let attempt = 1; ; attempt++) {
    const live = await readLiveState(opts, opts.configMaps ?? [], kube, opts.extraObjects ?? []);
    if (live.problems.length > 0 && attempt === 1) {
      // Invalid objects already in the cluster are reported but do not stop an edit of other fields.
      for (const p of live.problems) hooks.progress(`note: ${p.field}: ${p.message}`);
    }
    const current = toCurrent(live.objects);
    const plan = planWith(editor, current, opts, kube.server);
    const result: SessionResult = {mode: 'live', plan: first ?? plan, dryRun: !!opts.dryRun, confirmed, applied: [], written: [], attempts: attempt, target: {server: kube.server, user: kube.user}};
    if (attempt === 1) {
      first = plan;
      hooks.show(plan);
      check(plan);
      if (plan.noop || opts.dryRun) return result;
      confirmed = await hooks.confirm(plan);
      result.confirmed = confirmed;
      if (!confirmed) return result;
    } else {
      check(plan);
      if (plan.noop) {
        hooks.progress(`attempt ${attempt}: someone else already made this change; nothing left to do`);
        return {...result, plan};
      }
    }
    const poolsBefore = new Map<string, string | undefined>();
    for (const o of current) if (o.kind === 'MachineConfigPool') poolsBefore.set(o.name, (o.body.spec as {configuration?: {name?: string}} | undefined)?.configuration?.name);
    try {
      result.applied = await applyLive(kube, plan.changes);
      result.plan = plan;
    } catch (e) {
      if (!(e instanceof WriteConflict)) throw e;
      if (attempt >= max) throw new ConflictError(`${e.message}: the objects kept changing under us for ${max} attempts; nothing was changed (run the command again)`);
      hooks.progress(`attempt ${attempt}: ${e.message}; re-reading and re-applying the same intent`);
      // Exponential backoff with full jitter spreads concurrent writers apart.
      const c = clock();
      await c.sleep(10 + c.random() * 50 * 2 ** Math.min(attempt, 6));
      continue;
    }
    if (opts.wait && plan.pools.length > 0) {
      const {waitForPools} = await import('../cluster/wait.js');
      result.wait = await waitForPools(kube, {pools: plan.pools, before: poolsBefore, timeoutMs: opts.timeoutMs ?? 30 * 60_000, intervalMs: opts.waitIntervalMs, progress: hooks.progress});
    } else if (opts.wait) hooks.progress('no pool needs to roll out for this change: nothing to wait for');
    return result;
  }
}

/**
 * An edit whose result goes to new files under a directory (`mirror migrate --out`): planned against the
 * live cluster or the manifests like any edit, written without asking since nothing existing changes.
 */
async function runExport(editor: Editor, opts: SessionOptions & {exportTo: string}, hooks: SessionHooks): Promise<SessionResult> {
  const fileMode = Boolean(opts.file && opts.file.length > 0);
  let current: CurrentObject[];
  let label: string;
  if (fileMode) {
    const loaded = loadManifests(await readManifests(opts.file!));
    if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
    current = toCurrent(loaded.objects);
    label = opts.file!.join(',');
  } else {
    const {readLiveState} = await import('../cluster/live-state.js');
    const live = await readLiveState(opts, opts.configMaps ?? []);
    current = toCurrent(live.objects);
    label = live.kube.server;
  }
  const plan = planWith(editor, current, opts, label);
  hooks.show(plan);
  check(plan);
  const result: SessionResult = {mode: fileMode ? 'file' : 'live', plan, dryRun: !!opts.dryRun, confirmed: false, applied: [], written: [], attempts: 1, target: {files: [opts.exportTo]}};
  if (plan.noop || opts.dryRun) return result;
  const {writeFilesAtomic} = await import('../cluster/mirror-io.js');
  const created = plan.changes.filter((c) => c.after);
  result.written = await writeFilesAtomic(created.map((c) => ({file: join(opts.exportTo, `${c.kind.toLowerCase()}-${c.name}.yaml`), after: stringify(c.after, {indentSeq: false, lineWidth: 0})})));
  result.applied = created.map((c) => ({kind: c.kind, name: c.name, namespace: c.namespace, action: 'create'}));
  return result;
}

export function runEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  if (opts.exportTo) return runExport(editor, {...opts, exportTo: opts.exportTo}, hooks);
  return opts.file && opts.file.length > 0 ? runFileEdit(editor, opts, hooks) : runLiveEdit(editor, opts, hooks);
}
