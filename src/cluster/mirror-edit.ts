/**
 * The editing path of `mirror add` / `mirror remove`: read (manifests or the
 * cluster) -> compute the new mirror sets from the intent -> validate and plan
 * -> stop for --dry-run -> confirm (TTY) or require --yes -> write (files,
 * atomically) or apply (live, re-reading and re-planning on 409 Conflict).
 */
import {ConflictError, UserError, ValidationError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import type {Warning} from '../lib/warnings.js';
import {editManifests, type FileText, type PlacedChange} from '../model/manifest-edit.js';
import {loadManifests, type LoadedObject} from '../model/manifests.js';
import type {MirrorEdit} from '../model/mirrors.js';
import type {ClusterState} from '../model/types.js';
import {planMirrorEdit, type MirrorPlan} from '../render/mirror-plan.js';
import type {KubeOptions} from './kube.js';
import {readManifests} from './manifest-files.js';
import {applyLive, fileForNewObject, LiveConflict, writeFilesAtomic} from './mirror-io.js';

export interface EditOptions extends KubeOptions {
  file?: string[];
  dryRun: boolean;
  yes: boolean;
  strict: boolean;
  releaseImage?: string;
}

export interface EditIo {
  warn(w: Warning): void;
  /** Ask on the terminal; undefined when there is no TTY to ask on. */
  confirm?: (question: string, plan: MirrorPlan) => Promise<boolean>;
  progress(message: string): void;
}

export interface EditResult {
  mode: 'file' | 'live';
  /** Changes were written (files) or applied (cluster). */
  applied: boolean;
  dryRun: boolean;
  plan: MirrorPlan;
  /** Files written, or API calls made. */
  written: string[];
  /** Live mode: how many read-plan-apply rounds it took (conflicts re-plan). */
  attempts?: number;
}

export type ComputeEdit = (state: ClusterState) => {edit: MirrorEdit; sources: string[]};

const MAX_ATTEMPTS = 4;

interface Read {
  state: ClusterState;
  objects: LoadedObject[];
  texts?: FileText[];
}

async function readFiles(paths: string[], releaseImage?: string): Promise<Read> {
  const inputs = await readManifests(paths);
  const texts = inputs.filter((i): i is FileText => 'text' in i);
  const loaded = loadManifests(inputs);
  if (loaded.problems.length > 0) throw new ValidationError(loaded.problems);
  if (releaseImage) loaded.state.releaseImage = releaseImage;
  return {state: loaded.state, objects: loaded.objects, texts};
}

async function readLive(opts: KubeOptions, releaseImage?: string) {
  const {readLiveState} = await import('./live-state.js');
  const live = await readLiveState(opts);
  if (releaseImage) live.state.releaseImage = releaseImage;
  return live;
}

function plan(read: Read, compute: ComputeEdit, warn: (w: Warning) => void): {edit: MirrorEdit; plan: MirrorPlan} {
  const {edit, sources} = compute(read.state);
  return {edit, plan: planMirrorEdit(read.state, edit, warn, sources)};
}

function strictCheck(opts: EditOptions, warnings: Warning[]): void {
  if (opts.strict && warnings.length > 0) {
    throw new ValidationError(warnings.map((w) => ({field: w.field ?? w.code, message: `${w.message} (--strict)`})));
  }
}

async function confirmOrStop(opts: EditOptions, io: EditIo, p: MirrorPlan, where: string): Promise<void> {
  if (opts.yes) return;
  if (!io.confirm) throw new UserError('no terminal to confirm on: pass --yes to apply, or --dry-run to only preview; nothing was changed', ExitCode.usage);
  if (!(await io.confirm(`Apply these changes to ${where}?`, p))) throw new UserError('not confirmed; nothing was changed', ExitCode.usage);
}

export async function runMirrorEdit(opts: EditOptions, io: EditIo, compute: ComputeEdit): Promise<EditResult> {
  const warnings: Warning[] = [];
  const warn = (w: Warning) => {
    warnings.push(w);
    io.warn(w);
  };
  if (opts.file && opts.file.length > 0) {
    const read = await readFiles(opts.file, opts.releaseImage);
    const {edit, plan: p} = plan(read, compute, warn);
    strictCheck(opts, warnings);
    if (p.noop || opts.dryRun) return {mode: 'file', applied: false, dryRun: opts.dryRun, plan: p, written: []};
    const placed: PlacedChange[] = [];
    for (const c of edit.changes) {
      placed.push(c.action === 'create' ? {...c, file: await fileForNewObject(opts.file, read.texts!, read.objects, c.kind, c.name)} : c);
    }
    const edits = editManifests(read.texts!, placed);
    await confirmOrStop(opts, io, p, edits.map((e) => e.file).join(', '));
    const written = await writeFilesAtomic(edits);
    return {mode: 'file', applied: true, dryRun: false, plan: p, written};
  }

  let live = await readLive(opts, opts.releaseImage);
  let {edit, plan: p} = plan(live, compute, warn);
  strictCheck(opts, warnings);
  if (p.noop || opts.dryRun) return {mode: 'live', applied: false, dryRun: opts.dryRun, plan: p, written: []};
  await confirmOrStop(opts, io, p, `the cluster at ${live.kube.server}`);
  const written: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      written.push(...(await applyLive(live.kube, edit.changes, live.objects)));
      return {mode: 'live', applied: true, dryRun: false, plan: p, written, attempts: attempt};
    } catch (e) {
      if (!(e instanceof LiveConflict)) throw e;
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError(`${e.message}; still conflicting after ${attempt} attempts${written.length ? ` (already applied: ${written.join('; ')})` : '; nothing was changed'}`);
      io.progress(`conflict: ${e.message}; re-reading and re-planning (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`);
      live = await readLive(opts, opts.releaseImage);
      ({edit, plan: p} = plan(live, compute, () => undefined));
      if (p.noop) return {mode: 'live', applied: written.length > 0, dryRun: false, plan: p, written, attempts: attempt + 1};
    }
  }
}
