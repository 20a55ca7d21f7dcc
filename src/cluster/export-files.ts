/** Writing fleet exports: one file (ACM Policy) or a kustomize directory, each file atomically. */
import {mkdir, readdir, rename, rm, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {UserError} from '../lib/errors.js';

async function atomicWrite(target: string, content: string, label: string): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await mkdir(dirname(target), {recursive: true});
    await writeFile(tmp, content, {mode: 0o644});
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, {force: true});
    throw new UserError(`${label}: cannot write ${target}: ${(e as Error).message}`);
  }
}

export async function writeExportFile(path: string, content: string): Promise<string[]> {
  await atomicWrite(path, content, '--out');
  return [path];
}

/**
 * Write `files` into `dir`. A directory holding other files is refused before anything is
 * written (`render -f DIR` would read them back as configuration); files of an earlier export
 * with the same names are replaced.
 */
export async function writeExportDir(dir: string, files: Array<{path: string; content: string}>): Promise<string[]> {
  let present: string[] = [];
  try {
    present = (await readdir(dir)).filter((n) => !n.startsWith('.'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`--out ${dir}: ${(e as Error).message}`);
  }
  const ours = new Set(files.map((f) => f.path));
  const foreign = present.filter((n) => !ours.has(n)).sort();
  if (foreign.length > 0) throw new UserError(`--out ${dir} holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}): use an empty or new directory`);
  const written: string[] = [];
  for (const f of files) {
    const target = join(dir, f.path);
    await atomicWrite(target, f.content, '--out');
    written.push(target);
  }
  return written;
}
