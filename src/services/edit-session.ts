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
  /** none: apply; client (or true): plan only; server: the API server validates and admits the writes (`dryRun=All`), nothing is stored. */
  dryRun?: boolean | DryRunMode;
  /** Flags suggested follow-up commands keep (` -f DIR`, ` --context C`). */
  suggestionFlags?: string;
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

export type DryRunMode = 'none' | 'client' | 'server';

export function dryRunMode(d: SessionOptions['dryRun']): DryRunMode {
  return d === true ? 'client' : d === false || d === undefined ? 'none' : d;
}


/** True when nothing may be written: client and server dry runs (server is planned like client here). */

export interface SessionHooks {
  /** Show the plan (first attempt only), before errors are raised. */
  show(plan: Plan): void;
  /** Ask for confirmation (naming the target: context and server, or the files); false aborts with nothing written. */
  confirm(plan: Plan, target: SessionResult['target']): Promise<boolean>;
  progress(line: string): void;
}

export interface SessionResult {
  mode: 'live' | 'file';
  plan: Plan;
  dryRun: boolean;
  dryRunMode: DryRunMode;
  /** --dry-run=server: what the API server answered for each write (accepted; nothing stored). */
  serverDryRun?: Applied[];
  confirmed: boolean;
  applied: Applied[];
  written: string[];
  attempts: number;
  /** Target of the write: API server URL and user, or the manifest paths. */
  target: {server?: string; user?: string; context?: string; files?: string[]};
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
    ...(o.path ? {path: o.path} : {}),
  }));
}

const planOpts = (o: SessionOptions, label: string): PlanOptions => ({releaseImage: o.releaseImage, strict: o.strict, label, suggestionFlags: o.suggestionFlags});

/** The plan plus the edit's own checks; the hooks see the problems before they are raised. */
function planWith(editor: Editor, current: CurrentObject[], opts: SessionOptions, label: string): Plan {
  const plan = makePlan(current, editor, planOpts(opts, label));
  const extra = opts.checks?.(plan, current) ?? [];
  return extra.length > 0 ? {...plan, errors: [...plan.errors, ...extra]} : plan;
}

function check(plan: Plan): void {
  if (plan.errors.length > 0) throw new ValidationError(plan.errors);
}

async function planFiles(editor: Editor, opts: SessionOptions): Promise<{plan: Plan; current: CurrentObject[]; texts: Map<string, string>}> {
  const inputs = await readManifests(opts.file!);
  const texts = new Map<string, string>();
  for (const i of inputs) if ('text' in i) texts.set(i.file, i.text);
  const loaded = loadManifests(inputs);
  // Two files defining the same object, YAML errors, unknown fields: refuse before planning.
  if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
  const current = toCurrent(loaded.objects);
  return {plan: planWith(editor, current, opts, opts.file!.join(',')), current, texts};
}

export async function runFileEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  let {plan, current, texts} = await planFiles(editor, opts);
  hooks.show(plan);
  check(plan);
  const result: SessionResult = {mode: 'file', plan, dryRun: dryRunMode(opts.dryRun) !== 'none', dryRunMode: dryRunMode(opts.dryRun), confirmed: false, applied: [], written: [], attempts: 1, target: {files: opts.file}};
  if (dryRunMode(opts.dryRun) === 'server') throw new ValidationError([{field: '--dry-run', value: 'server', message: 'a server-side dry run needs a cluster: not with -f (use --dry-run or --dry-run=client)'}]);
  if (plan.noop || result.dryRun) return result;
  if (!(await hooks.confirm(plan, result.target))) return result;
  result.confirmed = true;
  const {applyToFiles} = await import('../cluster/edit-files.js');
  for (let attempt = 1; ; attempt++) {
    try {
      result.written = await applyToFiles(plan.changes, current, opts.file!, texts);
      break;
    } catch (e) {
      // Another editor changed the files: re-read and re-apply the same intent, as live mode does on a 409.
      if (!(e instanceof ConflictError) || attempt >= (opts.maxAttempts ?? 10)) throw e;
      hooks.progress(`attempt ${attempt}: ${e.message.split(';')[0]}; re-reading and re-applying the same intent`);
      const c = clock();
      await c.sleep(10 + c.random() * 50 * 2 ** Math.min(attempt, 6));
      ({plan, current, texts} = await planFiles(editor, opts));
      check(plan);
      result.plan = plan;
      result.attempts = attempt + 1;
      if (plan.noop) return result;
    }
  }
  result.applied = plan.changes.map((c) => ({kind: c.kind, name: c.name, namespace: c.namespace, action: c.action}));
  return result;
}

export async function runLiveEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  const {connect} = await import('../cluster/kube.js');
  const {readLiveState} = await import('../cluster/live-state.js');
  const {applyLive, WriteConflict} = await import('../cluster/write-live.js');
  const kube = await connect(opts);
  const max = opts.maxAttempts ?? 12;
  const dry = dryRunMode(opts.dryRun);
  let first: Plan | undefined;
  let confirmed = false;
  const rolledBack: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const live = await readLiveState(opts, opts.configMaps ?? [], kube, opts.extraObjects ?? []);
    if (live.problems.length > 0 && attempt === 1) {
      // Invalid objects already in the cluster are reported but do not stop an edit of other fields.
      for (const p of live.problems) hooks.progress(`note: ${p.field}: ${p.message}`);
    }
    const current = toCurrent(live.objects);
    const plan = planWith(editor, current, opts, kube.server);
    const result: SessionResult = {mode: 'live', plan: first ?? plan, dryRun: dry !== 'none', dryRunMode: dry, confirmed, applied: [], written: [], attempts: attempt, target: {server: kube.server, user: kube.user}};
    if (attempt === 1) {
      first = plan;
      hooks.show(plan);
      check(plan);
      if (plan.noop || dry === 'client') return result;
      if (dry === 'server') {
        result.serverDryRun = await applyLive(kube, plan.changes, {dryRun: true}).catch((e: unknown) => {
          // A conflict in a dry run only means the objects moved on: say so, nothing to re-apply.
          if (e instanceof WriteConflict) throw new ConflictError(`${e.message} (server-side dry run; nothing was written): run it again`);
          throw e;
        });
        return result;
      }
      confirmed = await hooks.confirm(plan, {...result.target, context: kube.config.getCurrentContext() || undefined});
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
      rolledBack.push(...e.rolledBack);
      const left = rolledBack.length > 0 ? `every write was rolled back (${[...new Set(rolledBack)].join(', ')}), the cluster is as before` : 'nothing was changed';
      if (attempt >= max) throw new ConflictError(`${e.message}: the objects kept changing under us for ${max} attempts; ${left} (run the command again)`);
      hooks.progress(`attempt ${attempt}: ${e.message}; re-reading and re-applying the same intent`);
      const c = clock();
      await c.sleep(conflictBackoffMs(attempt, c.random()));
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
  const dry = dryRunMode(opts.dryRun);
  const result: SessionResult = {mode: fileMode ? 'file' : 'live', plan, dryRun: dry !== 'none', dryRunMode: dry, confirmed: false, applied: [], written: [], attempts: 1, target: {files: [opts.exportTo]}};
  if (plan.noop || dry !== 'none') return result;
  const {writeFilesAtomic} = await import('../cluster/atomic-write.js');
  const created = plan.changes.filter((c) => c.after);
  result.written = await writeFilesAtomic(created.map((c) => ({path: join(opts.exportTo, `${c.kind.toLowerCase()}-${c.name}.yaml`), text: stringify(c.after, {indentSeq: false, lineWidth: 0})})));
  result.applied = created.map((c) => ({kind: c.kind, name: c.name, namespace: c.namespace, action: 'create'}));
  return result;
}

/**
 * Back-off after the attempt-th conflict: exponential with full jitter (0 .. 100 ms * 2^attempt, at
 * most 8 s). The window doubles while writers keep colliding, so N writers spread over roughly N
 * write cycles instead of retrying in lockstep (measured: 50 editors with a 409 on every third write
 * land 100%, test/services/edit-contention.test.ts).
 */
export function conflictBackoffMs(attempt: number, random: number): number {
  return Math.round(random * Math.min(8_000, 250 * 2 ** attempt));
}

export function runEdit(editor: Editor, opts: SessionOptions, hooks: SessionHooks): Promise<SessionResult> {
  if (opts.exportTo) return runExport(editor, {...opts, exportTo: opts.exportTo}, hooks);
  return opts.file && opts.file.length > 0 ? runFileEdit(editor, opts, hooks) : runLiveEdit(editor, opts, hooks);
}
