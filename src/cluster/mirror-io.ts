/**
 * Writing new files (an edit exported with --out): atomically, every file staged
 * before any is renamed into place. (Live writes go through write-live.ts.)
 */
import {mkdir, rename, rm, stat, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {UserError} from '../lib/errors.js';

/** A file's new text (`before` undefined: the file does not exist yet). */
export interface FileEdit {
  file: string;
  before?: string;
  after: string;
}

/**
 * Write all files or none: each goes to a temporary name next to its target
 * first; only when every temporary file is written are they renamed into place.
 */
export async function writeFilesAtomic(edits: FileEdit[]): Promise<string[]> {
  const staged: Array<[string, string]> = [];
  try {
    for (const e of edits) {
      await mkdir(dirname(e.file), {recursive: true});
      const tmp = join(dirname(e.file), `.${e.file.split('/').pop()}.oc-registries-${process.pid}.tmp`);
      let mode = 0o644;
      try {
        mode = (await stat(e.file)).mode & 0o777;
      } catch {
        // new file
      }
      await writeFile(tmp, e.after, {mode});
      staged.push([tmp, e.file]);
    }
  } catch (err) {
    for (const [tmp] of staged) await rm(tmp, {force: true});
    throw new UserError(`cannot write manifests: ${(err as Error).message}; nothing was changed`);
  }
  for (const [tmp, target] of staged) await rename(tmp, target);
  return staged.map(([, t]) => t);
}
