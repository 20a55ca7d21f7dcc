/**
 * Writing `mirror migrate` output to files: through the project's one atomic
 * writer (atomic-write.ts), every file staged before any is renamed into place,
 * and a file changed since it was read is a conflict (exit 4).
 */
import {writeFilesAtomic as writeAll} from './atomic-write.js';
import type {FileEdit} from '../model/manifest-edit.js';

/** Write all files or none (`before`: the content read, which the file must still hold). */
export function writeFilesAtomic(edits: FileEdit[]): Promise<string[]> {
  return writeAll(edits.map((e) => ({path: e.file, text: e.after, before: e.before})));
}
