/**
 * `render --out DIR`: DIR ends holding exactly the new render (node files as
 * DIR/etc/..., or MachineConfig YAML files), marked as a render of this tool by
 * a small marker file. A render replaces an earlier render (stale files are
 * removed); any other non-empty directory, or a file, is refused (exit 2).
 */
import {readdir, rm, rmdir, stat} from 'node:fs/promises';
import {join, relative, sep} from 'node:path';
import {UserError} from '../lib/errors.js';
import {writeFilesAtomic} from './atomic-write.js';

export const RENDER_MARKER = '.oc-registries-render';

async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  for (const e of await readdir(dir, {withFileTypes: true})) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await listFiles(p, out);
    else out.push(p);
  }
  return out;
}

async function pruneEmptyDirs(dir: string, root: string): Promise<void> {
  for (const e of await readdir(dir, {withFileTypes: true})) if (e.isDirectory()) await pruneEmptyDirs(join(dir, e.name), root);
  if (dir !== root && (await readdir(dir)).length === 0) await rmdir(dir);
}

/** Write `files` (paths relative to DIR, leading `/` allowed) as the whole content of `root`. Returns the paths written. */
export async function writeRenderDir(root: string, files: Array<{path: string; content: string}>, what: string): Promise<string[]> {
  let earlier = false;
  try {
    const st = await stat(root);
    if (!st.isDirectory()) throw new UserError(`--out ${root} is an existing file; give a directory (new, empty, or an earlier render of this tool)`);
    const entries = await readdir(root);
    earlier = entries.includes(RENDER_MARKER);
    if (entries.length > 0 && !earlier) throw new UserError(`--out ${root} is a non-empty directory that is not an earlier render of this tool (it has no ${RENDER_MARKER}); give a new or empty directory`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    // Does not exist yet: created by the write.
  }
  const targets = files.map((f) => ({path: join(root, ...f.path.split('/').filter(Boolean)), text: f.content}));
  const written = await writeFilesAtomic([...targets, {path: join(root, RENDER_MARKER), text: `${what} rendered by oc-registries; this directory is replaced by the next render --out\n`}]);
  if (earlier) {
    // Whatever the earlier render wrote and this one does not is stale: the directory holds exactly the new view.
    const keep = new Set(written);
    for (const f of await listFiles(root)) if (!keep.has(f)) await rm(f, {force: true});
    await pruneEmptyDirs(root, root);
  }
  return targets.map((t) => t.path).filter((p) => !relative(root, p).startsWith(`..${sep}`));
}
