/**
 * `mirror migrate` inside manifest files (a GitOps repository): other documents
 * keep their exact text, and each converted document keeps its comments, key
 * order and sequence style. Pure: file texts in, file texts out.
 * (add/remove go through the shared editor, cluster/edit-files.ts.)
 */
import {isMap, isScalar, parseDocument, stringify, type Document} from 'yaml';
import {UserError} from '../lib/errors.js';
import {documentChunks} from './manifests.js';
import {API_VERSION, LIST_KEY, mirrorSetObject, type ObjectChange} from './mirrors.js';
import type {MirrorSet} from './types.js';

export interface FileText {
  file: string;
  text: string;
}

export interface FileEdit {
  file: string;
  /** undefined for a file that does not exist yet. */
  before?: string;
  after: string;
}

/** Split a YAML stream into chunks (each starting at a `---` line, except the first) whose concatenation is the text: the project's one splitter. */
export const splitDocuments = documentChunks;

function identity(chunk: string): {kind?: string; name?: string} {
  try {
    const js = parseDocument(chunk, {version: '1.1'}).toJS() as {kind?: unknown; metadata?: {name?: unknown}} | null;
    return {kind: typeof js?.kind === 'string' ? js.kind : undefined, name: typeof js?.metadata?.name === 'string' ? js.metadata.name : undefined};
  } catch {
    return {};
  }
}

/** Sequences written flush with their key (`key:\n- a`) stay that way. */
function indentSeqOf(chunk: string): boolean {
  return !/^([ ]*)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(chunk);
}

/**
 * Maps the library's rendering of the unchanged document (s0) and of the edited
 * one (s1) back onto the original text, so untouched lines stay byte-exact
 * (cluster/edit-files.ts keepFormatting). Default: the library's rendering.
 */
export type KeepFormatting = (original: string, s0: string, s1: string) => string;

function toText(doc: Document, original: string, edit: (doc: Document) => void, keep: KeepFormatting): string {
  const style = {indentSeq: indentSeqOf(original), lineWidth: 0};
  const s0 = doc.toString(style);
  edit(doc);
  let s1 = doc.toString(style);
  if (original.startsWith('---') && !s1.startsWith('---')) s1 = `---\n${s1}`;
  const s0m = original.startsWith('---') && !s0.startsWith('---') ? `---\n${s0}` : s0;
  return keep(original, s0m, s1);
}

/** ICSP document -> IDMS document in place: same comments, same rule order; only kind, apiVersion, the list key (and name) change. */
function convertDoc(doc: Document, idms: MirrorSet): void {
  doc.set('apiVersion', API_VERSION.ImageDigestMirrorSet);
  doc.set('kind', 'ImageDigestMirrorSet');
  doc.setIn(['metadata', 'name'], idms.name);
  const spec = doc.get('spec', true);
  if (isMap(spec)) {
    const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === LIST_KEY.ImageContentSourcePolicy);
    if (pair && isScalar(pair.key)) pair.key.value = LIST_KEY.ImageDigestMirrorSet;
  } else doc.set('spec', doc.createNode({[LIST_KEY.ImageDigestMirrorSet]: idms.rules.map((r) => ({source: r.source, ...(r.mirrors.length ? {mirrors: r.mirrors} : {})}))}));
  // Server-owned fields of the old object have no meaning for the new one.
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink']) doc.deleteIn(['metadata', k]);
  doc.delete('status');
}

export function objectYaml(set: MirrorSet): string {
  return stringify(mirrorSetObject(set), {indentSeq: false, lineWidth: 0});
}

export interface PlacedChange extends ObjectChange {
  /** The ICSP document this IDMS replaces, in place. */
  replaces?: {kind: string; name: string};
}

/**
 * Apply `mirror migrate` to manifest files: ICSP documents become IDMS documents
 * in place, or are deleted (their IDMS already exists). Objects are found by
 * kind and name. Returns only the files that change.
 */
export function editManifests(files: FileText[], changes: PlacedChange[], keep: KeepFormatting = (_o, _s0, s1) => s1): FileEdit[] {
  const chunks = new Map(files.map((f) => [f.file, splitDocuments(f.text)]));
  const touched = new Set<string>();
  const locate = (kind: string, name: string): {file: string; i: number} => {
    for (const [file, cs] of chunks) {
      const i = cs.findIndex((c) => {
        const id = identity(c);
        return id.kind === kind && id.name === name;
      });
      if (i >= 0) return {file, i};
    }
    throw new UserError(`${kind} ${name} is not a document of its own in the -f files (objects inside a List cannot be edited in place)`);
  };
  for (const c of changes) {
    if (c.replaces) {
      const {file, i} = locate(c.replaces.kind, c.replaces.name);
      const cs = chunks.get(file)!;
      const doc = parseDocument(cs[i]!, {version: '1.1'});
      cs[i] = toText(doc, cs[i]!, (d) => convertDoc(d, c.after!), keep);
      touched.add(file);
      continue;
    }
    const {file, i} = locate(c.kind, c.name);
    const cs = chunks.get(file)!;
    if (c.action !== 'delete') throw new Error(`editManifests: only replacing and deleting documents is supported (got ${c.action})`);
    const removed = cs[i]!;
    cs.splice(i, 1);
    // The first document loses its leading marker only when the file started with it.
    if (i === 0 && cs.length > 0 && !removed.startsWith('---') && cs[0]!.startsWith('---\n')) cs[0] = cs[0]!.slice(4);
    touched.add(file);
  }
  const out: FileEdit[] = [];
  for (const f of files) if (touched.has(f.file)) out.push({file: f.file, before: f.text, after: chunks.get(f.file)!.join('')});
  return out;
}
