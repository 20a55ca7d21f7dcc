/**
 * Where mirror-set changes are written: manifest files (atomically, every file
 * staged before any is renamed into place) or the live cluster (create,
 * replace with the resourceVersion that was read, delete with a precondition).
 */
import {mkdir, rename, rm, stat, writeFile} from 'node:fs/promises';
import {dirname, join, relative} from 'node:path';
import {UserError} from '../lib/errors.js';
import type {FileEdit, FileText} from '../model/manifest-edit.js';
import type {LoadedObject} from '../model/manifests.js';
import {API_VERSION, LIST_KEY, mirrorSetObject, type ObjectChange} from '../model/mirrors.js';
import type {MirrorSetKind} from '../model/types.js';
import {clusterError, statusOf, type Kube} from './kube.js';

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

/**
 * The file a new object goes to: in a -f directory, a file of its own;
 * else the file that already holds objects of that kind, else the Image
 * config's file, else the first -f file.
 */
export async function fileForNewObject(paths: string[], files: FileText[], objects: LoadedObject[], kind: MirrorSetKind, name: string): Promise<string> {
  for (const p of paths) {
    if (p === '-') continue;
    try {
      if ((await stat(p)).isDirectory()) return relative(process.cwd(), join(p, `${kind.toLowerCase()}-${name}.yaml`)) || `${kind.toLowerCase()}-${name}.yaml`;
    } catch {
      // not there: readManifests already reported it
    }
  }
  const sameKind = objects.find((o) => o.kind === kind);
  if (sameKind) return sameKind.file;
  const image = objects.find((o) => o.kind === 'Image');
  if (image) return image.file;
  const first = files.find((f) => f.file !== '<stdin>');
  if (!first) throw new UserError('file mode with only standard input cannot be edited in place; pass a file or directory with -f');
  return first.file;
}

const GROUP = (kind: MirrorSetKind) => API_VERSION[kind].split('/')[0]!;
const VERSION = (kind: MirrorSetKind) => API_VERSION[kind].split('/')[1]!;
const PLURAL: Record<MirrorSetKind, string> = {
  ImageContentSourcePolicy: 'imagecontentsourcepolicies',
  ImageDigestMirrorSet: 'imagedigestmirrorsets',
  ImageTagMirrorSet: 'imagetagmirrorsets',
};

/** A 409 Conflict: the object changed since it was read (or already exists). */
export class LiveConflict extends Error {
  override name = 'LiveConflict';
}

/**
 * Apply changes to the cluster, in order. Updates replace the whole spec list
 * of an object read in this run, carrying its resourceVersion; a 409 raises
 * LiveConflict so the caller can re-read and re-plan the same intent.
 */
export async function applyLive(kube: Kube, changes: ObjectChange[], live: LoadedObject[]): Promise<string[]> {
  const api = kube.config.makeApiClient(kube.mod.CustomObjectsApi);
  const done: string[] = [];
  for (const c of changes) {
    const target = {group: GROUP(c.kind), version: VERSION(c.kind), plural: PLURAL[c.kind]};
    const what = `${c.action} ${target.plural}.${target.group}/${c.name}`;
    const obj = live.find((o) => o.kind === c.kind && o.name === c.name);
    try {
      if (c.action === 'create') {
        await api.createClusterCustomObject({...target, body: mirrorSetObject(c.after!)});
      } else if (c.action === 'update') {
        if (!obj) throw new LiveConflict(`${c.kind} ${c.name} is gone`);
        const body = structuredClone(obj.body) as {spec?: Record<string, unknown>; metadata?: Record<string, unknown>};
        body.spec = {...(body.spec ?? {}), [LIST_KEY[c.kind]]: (mirrorSetObject(c.after!).spec as Record<string, unknown>)[LIST_KEY[c.kind]]};
        await api.replaceClusterCustomObject({...target, name: c.name, body});
      } else {
        const rv = (obj?.body.metadata as {resourceVersion?: string} | undefined)?.resourceVersion;
        await api.deleteClusterCustomObject({...target, name: c.name, ...(rv ? {body: {preconditions: {resourceVersion: rv}}} : {})});
      }
    } catch (e) {
      if (e instanceof LiveConflict) throw e;
      const code = statusOf(e);
      if (code === 409) throw new LiveConflict(`${what}: the object changed since it was read`);
      if (code === 404 && c.action === 'delete') {
        done.push(`${what} (already gone)`);
        continue;
      }
      if (code === 404 && c.action === 'update') throw new LiveConflict(`${what}: the object was deleted since it was read`);
      throw clusterError(kube, what, e);
    }
    done.push(what);
  }
  return done;
}
