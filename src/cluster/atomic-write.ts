/**
 * THE file writer of the project (manifest edits, `mirror migrate`, `render
 * --out`): all or nothing. Every file is staged as a temporary file next to
 * its real target (a symlink is followed and kept: its target is written),
 * then, after checking that no file changed since it was read, all are renamed
 * into place. A failure or SIGINT/SIGTERM during the write removes every
 * temporary file and leaves every target as it was.
 */
import {randomBytes} from 'node:crypto';
import {lstat, mkdir, readFile, readlink, realpath, rename, rm, stat, writeFile} from 'node:fs/promises';
import {rmSync} from 'node:fs';
import {basename, dirname, join, resolve} from 'node:path';
import {ConflictError, UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';

export interface FileWrite {
  /** The path as the user named it (may be a symlink). */
  path: string;
  text: string;
  /** The content read when the change was planned: the file must still hold it (exit 4 otherwise). Absent: not checked. */
  before?: string;
}

export interface WriteHooks {
  /** Called once every temporary file is written, before the check and the renames (tests pause or signal here). */
  staged?: () => Promise<void> | void;
}

/** The file a path really names: a symlink's final target (a new file: its directory resolved). */
export async function realTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    try {
      // A dangling symlink: write where it points.
      if ((await lstat(path)).isSymbolicLink()) return resolve(dirname(path), await readlink(path));
    } catch {
      // does not exist
    }
    try {
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

async function modeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Take the lock file of `target` (held by another live editor: a conflict; left by a dead one: taken over). */
async function lock(target: string, shown: string): Promise<string> {
  const path = join(dirname(target), `.${basename(target)}.oc-registries.lock`);
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, {flag: 'wx'});
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      let alive = false;
      try {
        alive = pid > 0 && process.kill(pid, 0);
      } catch {
        alive = false;
      }
      if (alive) throw new ConflictError(`${shown} is being written by another editor (process ${pid}); nothing was written (run the command again)`);
      await rm(path, {force: true});
    }
  }
}

/** Write every file or none. Returns the paths as given. */
export async function writeFilesAtomic(writes: FileWrite[], hooks: WriteHooks = {}): Promise<string[]> {
  const staged: Array<{tmp: string; target: string; w: FileWrite}> = [];
  const locks: string[] = [];
  let interrupted: NodeJS.Signals | undefined;
  const cleanupSync = () => {
    for (const s of staged) rmSync(s.tmp, {force: true});
    for (const l of locks) rmSync(l, {force: true});
  };
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted = sig;
    cleanupSync();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stop = () => {
    if (interrupted) throw new UserError(`interrupted (${interrupted}) while writing; nothing was written`, ExitCode.interrupted);
  };
  try {
    const targets = await Promise.all(writes.map((w) => realTarget(w.path)));
    for (const [i, w] of writes.entries()) {
      const mode = await modeOf(targets[i]!);
      // A read-only manifest is the admin's decision: refuse, never replace it behind their back.
      if (mode !== undefined && (mode & 0o222) === 0) throw new UserError(`${w.path} is read-only; nothing was written (make it writable to edit it)`);
    }
    for (const [i, w] of writes.entries()) {
      stop();
      const target = targets[i]!;
      await mkdir(dirname(target), {recursive: true});
      const tmp = join(dirname(target), `.${basename(target)}.oc-registries-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      staged.push({tmp, target, w});
      await writeFile(tmp, w.text, {mode: (await modeOf(target)) ?? 0o644});
    }
    await hooks.staged?.();
    stop();
    // Check and rename under a lock per file, so two editors cannot both pass the check and one lose its update.
    for (const s of staged) locks.push(await lock(s.target, s.w.path));
    for (const s of staged) {
      if (s.w.before === undefined) continue;
      let now: string | undefined;
      try {
        now = await readFile(s.target, 'utf8');
      } catch {
        now = undefined;
      }
      if (now !== s.w.before) throw new ConflictError(`${s.w.path} changed since it was read (another editor?); nothing was written (run the command again)`);
    }
    stop();
    for (const s of staged) await rename(s.tmp, s.target);
    return writes.map((w) => w.path);
  } catch (e) {
    for (const s of staged) await rm(s.tmp, {force: true});
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot write ${staged.at(-1)?.w.path ?? 'the files'}: ${(e as Error).message}; nothing was written`);
  } finally {
    for (const l of locks) rmSync(l, {force: true});
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
