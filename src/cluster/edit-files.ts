/**
 * File mode of the editing commands: apply planned object changes to the
 * manifests in place. Only the YAML documents that change are re-serialized,
 * through the `yaml` Document API, so comments, key order and the formatting of
 * everything else stay as they were; other documents are copied byte for byte.
 * Each file is written atomically (temporary file in the same directory, then
 * rename). Single writer assumed: a file that changed since it was read is a
 * conflict (exit 4), not merged.
 */
import {readFile, stat} from 'node:fs/promises';
import {join} from 'node:path';
import {writeFilesAtomic} from './atomic-write.js';
import {blockIfWasEmpty, editJson, fromLf, isJsonText, lineEnding, quoteAmbiguous, toLf} from './manifest-text.js';
import {Document, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Node} from 'yaml';
import {splitDocuments} from '../model/manifests.js';
import {diffLines} from '../lib/unified-diff.js';
import {isPlainObject} from '../lib/objects.js';
import {ConflictError, UserError} from '../lib/errors.js';
import type {CurrentObject, ObjectKey} from '../model/edit.js';
import {LIST_KEY} from '../model/mirrors.js';
import type {MirrorSetKind} from '../model/types.js';
import type {ObjectChange} from '../render/plan.js';

const canon = (x: unknown): string => JSON.stringify(sortKeys(x));
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]));
  return x;
}


/**
 * Make `node` (inside `doc`) hold `after`, touching as little as possible:
 * unchanged keys and list items keep their nodes (and so their comments).
 * Returns the node to use (a new one when the type changes).
 */
export function syncNode(doc: Document, node: unknown, after: unknown): Node {
  const current = node && typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON() : node;
  if (node && canon(current) === canon(after)) return node as Node;
  // New content is written so that YAML 1.1 readers (the API server, oc apply) read the same strings.
  const create = (v: unknown): Node => {
    const n = doc.createNode(v) as Node;
    quoteAmbiguous(n);
    return n;
  };
  if (isPlainObject(after) && isMap(node)) {
    const wasEmpty = node.items.length === 0;
    for (const item of [...node.items]) {
      const k = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!Object.hasOwn(after, k)) node.delete(item.key);
    }
    for (const [k, v] of Object.entries(after)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === k);
      if (pair) pair.value = syncNode(doc, pair.value, v);
      else node.set(create(k), create(v));
    }
    blockIfWasEmpty(node, wasEmpty);
    return node;
  }
  if (Array.isArray(after) && isSeq(node)) {
    const used = new Set<number>();
    const items = after.map((v, i) => {
      const same = node.items.findIndex((it, j) => !used.has(j) && canon(it && typeof (it as Node).toJSON === 'function' ? (it as Node).toJSON() : it) === canon(v));
      if (same >= 0) {
        used.add(same);
        return node.items[same] as Node;
      }
      const old = node.items[i];
      if (!used.has(i) && old && ((isPlainObject(v) && isMap(old)) || (Array.isArray(v) && isSeq(old)))) {
        used.add(i);
        return syncNode(doc, old, v);
      }
      return create(v);
    });
    // The yaml library keeps a comment written right above the first item on the sequence itself;
    // it is that item's own comment and goes when the item goes (as comments above later items do).
    if (node.items.length > 0 && !used.has(0)) node.commentBefore = undefined;
    node.items = items;
    return node;
  }
  if (isScalar(node) && (after === null || typeof after !== 'object')) {
    node.value = after;
    quoteAmbiguous(node);
    return node;
  }
  return create(after);
}

/**
 * The yaml library re-serializes a whole document (normalizing spacing before
 * comments, flow collections, ...). When the original text and the library's
 * rendering of the unchanged document line up line by line, apply only the
 * changed lines to the original text, so every untouched line stays byte-exact.
 */
export function keepFormatting(original: string, s0: string, s1: string): string {
  const o = original.split('\n');
  const a = s0.split('\n');
  // The original segment may end without the final newline the library adds, or with extra blank lines.
  while (o.length > a.length && o[o.length - 1] === '' && o[o.length - 2] === '') o.pop();
  if (o.length !== a.length) return s1;
  const ops = diffLines(a, s1.split('\n'));
  const out: string[] = [];
  const indent = (l: string) => /^ */.exec(l)![0].length;
  // How much deeper the original indents than the library here: new lines get the same depth (untouched lines keep theirs).
  let delta = 0;
  let i = 0;
  for (const op of ops) {
    if (op.op === ' ' || op.op === '-') {
      if (o[i]!.trim() !== '') delta = indent(o[i]!) - indent(a[i]!);
      if (op.op === ' ') out.push(o[i]!);
      i++;
    } else out.push(delta > 0 && op.line.trim() !== '' ? ' '.repeat(delta) + op.line : delta < 0 && indent(op.line) >= -delta ? op.line.slice(-delta) : op.line);
  }
  return out.join('\n');
}

/** Does the text write block sequences flush with their parent key (`key:` then `- item` at the same indent)? */
export function compactSequences(text: string): boolean {
  const lines = text.split('\n');
  let compact = 0;
  let indented = 0;
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^(\s*)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i]!);
    if (!m) continue;
    const next = lines[i + 1]!;
    if (next.startsWith(m[1]! + '- ') || next === m[1]! + '-') compact++;
    else if (next.startsWith(m[1]! + '  - ')) indented++;
  }
  return compact > indented;
}

function sameYaml(a: string, b: string): boolean {
  try {
    const x = parseAllDocuments(a);
    const y = parseAllDocuments(b);
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((d, i) => d.errors.length === 0 && canon(d.toJS()) === canon(y[i]!.toJS()));
  } catch {
    return false;
  }
}

interface FileEdit {
  file: string;
  /** Document index -> its changes: the object at `path` (the document itself when empty) becomes `after` (undefined: it goes); with `append`, `after` joins the list at `path`. */
  docs: Map<number, DocChange[]>;
  appended: Array<Record<string, unknown>>;
  /** The same changes by object (JSON manifests are edited by object). */
  objects: Array<{kind: string; name: string; namespace?: string; after?: Record<string, unknown>}>;
}

/** A new object as YAML, strings YAML 1.1 would misread quoted. */
function newDocumentText(body: Record<string, unknown>): string {
  const doc = new Document(body);
  quoteAmbiguous(doc.contents);
  return doc.toString({lineWidth: 0});
}

/**
 * A mirror set replaced in place by one of another kind (ICSP -> IDMS): rename its rule list key first, so
 * the rules and their comments stay where they are instead of being removed and written again.
 */
function renameMirrorListKey(d: Document, after: Record<string, unknown>): void {
  const from = d.get('kind') as string | undefined;
  const to = after.kind as string | undefined;
  if (!from || !to || from === to || !(from in LIST_KEY) || !(to in LIST_KEY)) return;
  const spec = d.get('spec', true);
  if (!isMap(spec)) return;
  const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === LIST_KEY[from as MirrorSetKind]);
  if (pair && isScalar(pair.key)) pair.key.value = LIST_KEY[to as MirrorSetKind];
}

interface DocChange {
  path: Array<string | number>;
  after?: Record<string, unknown>;
  /** `after` joins the list at `path` (as an object template like the one at `likeTemplate`, when given). */
  append?: boolean;
  likeTemplate?: number;
}

/**
 * A document's new body from its changes: the whole document replaced or deleted, or objects inside it
 * (a List's items, an ACM Policy's object templates) replaced or removed, the rest of it kept.
 */
function documentAfter(body: Record<string, unknown>, changes: DocChange[]): Record<string, unknown> | undefined {
  const whole = changes.find((c) => c.path.length === 0);
  if (whole) return whole.after;
  const out = structuredClone(body);
  const at = (path: Array<string | number>) => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], out);
  const parentOf = (path: Array<string | number>) => at(path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  for (const c of changes) if (c.after && !c.append) parentOf(c.path)[c.path.at(-1) as number] = c.after;
  // Removals from the last index down, so the earlier ones keep their places. An object template goes
  // whole (not only its objectDefinition); a List's item leaves the list.
  const removals = changes.filter((c) => !c.after && !c.append).map((c) => (c.path.at(-1) === 'objectDefinition' ? c.path.slice(0, -1) : c.path));
  removals.sort((a, b) => Number(b.at(-1)) - Number(a.at(-1)));
  for (const path of removals) {
    const parent = parentOf(path);
    if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
    else delete parent[path.at(-1)!];
  }
  for (const c of changes) {
    if (!c.append || !c.after) continue;
    const list = at(c.path) as unknown[];
    const like = c.likeTemplate === undefined ? undefined : (list[c.likeTemplate] as {complianceType?: unknown} | undefined);
    list.push(c.likeTemplate === undefined ? c.after : {complianceType: like?.complianceType ?? 'musthave', objectDefinition: c.after});
  }
  return out;
}

/**
 * Where new objects go: beside the Image (else beside the first object read from a file): into the
 * same List, or as an object template of the same ACM ConfigurationPolicy, when it sits in one;
 * else as a document of its file. Without objects, the first -f file, or a new file in the first
 * -f directory.
 */
async function targetForNew(objects: CurrentObject[], paths: string[]): Promise<{file: string; into?: DocChange & {doc: number}}> {
  const anchor = objects.find((o) => o.kind === 'Image' && o.file) ?? objects.find((o) => o.file);
  if (anchor?.file) {
    const at = anchor.path ?? [];
    if (anchor.doc === undefined || at.length === 0) return {file: anchor.file};
    // An object template of the same ConfigurationPolicy (with the anchor's compliance type), or an item of the same List.
    if (at.at(-1) === 'objectDefinition') return {file: anchor.file, into: {doc: anchor.doc, path: at.slice(0, -2), append: true, likeTemplate: Number(at.at(-2))}};
    return {file: anchor.file, into: {doc: anchor.doc, path: at.slice(0, -1), append: true}};
  }
  const first = paths.find((p) => p !== '-');
  if (!first) throw new UserError('no manifest file to add the new object to (stdin cannot be edited)');
  const st = await stat(first);
  return {file: st.isDirectory() ? join(first, 'image-config.yaml') : first};
}

/**
 * Apply changes to the manifest files. `texts` holds each file's content as it
 * was read (to detect a concurrent edit). Returns the files written.
 */
export async function applyToFiles(changes: ObjectChange[], objects: CurrentObject[], paths: string[], texts: Map<string, string>): Promise<string[]> {
  const edits = new Map<string, FileEdit>();
  const editOf = (file: string) => {
    let e = edits.get(file);
    if (!e) edits.set(file, (e = {file, docs: new Map(), appended: [], objects: []}));
    return e;
  };
  const changeIn = (file: string, doc: number, change: DocChange) => {
    const docs = editOf(file).docs;
    docs.set(doc, [...(docs.get(doc) ?? []), change]);
  };
  const find = (k: ObjectKey) => objects.find((o) => o.kind === k.kind && o.name === k.name && (o.namespace ?? '') === (k.namespace ?? ''));
  const sameKey = (a: ObjectKey, b: ObjectKey) => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
  for (const ch of changes) {
    // An object replaced in place by another: its document already holds the new object.
    if (!ch.after && changes.some((c) => c.replaces && sameKey(c.replaces, ch))) continue;
    const obj = find(ch.replaces ?? ch);
    if (obj) {
      if (!obj.file || obj.doc === undefined || obj.file === '<stdin>') throw new UserError(`${ch.kind} ${ch.name} came from standard input, which cannot be edited in place`);
      changeIn(obj.file, obj.doc, {path: obj.path ?? [], after: ch.after});
      editOf(obj.file).objects.push({kind: ch.kind, name: ch.name, namespace: ch.namespace, after: ch.after});
    } else if (ch.after) {
      const {file, into} = await targetForNew(objects, paths);
      if (into && !isJsonText(file, texts.get(file) ?? '')) changeIn(file, into.doc, {path: into.path, after: ch.after, append: true, likeTemplate: into.likeTemplate});
      else editOf(file).appended.push(ch.after);
    }
  }
  // Build every new text first, write only when all succeeded.
  const out: Array<{file: string; text: string; before?: string}> = [];
  for (const e of edits.values()) {
    let raw: string | undefined;
    try {
      raw = await readFile(e.file, 'utf8');
    } catch {
      raw = undefined;
    }
    const was = texts.get(e.file);
    if (was !== undefined && was !== (raw ?? '')) throw new ConflictError(`${e.file} changed while the edit was being planned; nothing was written (run the command again)`);
    if (was === undefined && raw && e.docs.size > 0) throw new ConflictError(`${e.file} was not read before the edit; nothing was written`);
    if (raw !== undefined && isJsonText(e.file, raw)) {
      // JSON stays JSON, in its own indentation.
      out.push({file: e.file, text: editJson(raw, e.objects, e.appended), before: raw});
      continue;
    }
    const eol = lineEnding(raw ?? '');
    const text = toLf(raw ?? '');
    // The documents as the manifests were read (splitDocuments: their indexes are the objects' `doc`,
    // and a document with nothing in it counts as none); only those that change are parsed.
    const docs = e.docs.size > 0 ? splitDocuments(text) : [];
    const lines = text.split('\n');
    /** Lines a .. b - 1 (1-based) as they are in the text. */
    const slice = (a: number, b: number) => (b <= a ? '' : lines.slice(a - 1, b - 1).join('\n') + (b - 1 < lines.length ? '\n' : ''));
    let result = '';
    let next = 1;
    docs.forEach((d, i) => {
      result += slice(next, d.firstLine);
      next = d.endLine;
      const segment = slice(d.firstLine, d.endLine);
      if (!e.docs.has(i)) {
        result += segment;
        return;
      }
      const doc = parseDocument(segment);
      const after = documentAfter(doc.toJS() as Record<string, unknown>, e.docs.get(i)!);
      if (after === undefined) return;
      // Render in the file's own sequence style (`key:\n- item` vs `key:\n  - item`), so lines line up.
      const opts = {lineWidth: 0, indentSeq: !compactSequences(segment)};
      const s0 = doc.toString(opts);
      if (e.docs.get(i)!.some((c) => c.path.length === 0)) renameMirrorListKey(doc, after);
      doc.contents = syncNode(doc, doc.contents, after) as typeof doc.contents;
      let s1 = doc.toString(opts);
      if (!s1.startsWith('---') && segment.trimStart().startsWith('---')) s1 = '---\n' + s1;
      const kept = keepFormatting(segment, s0, s1);
      // Never trust the line splice blindly: it must mean exactly what the library wrote.
      result += sameYaml(kept, s1) ? kept : s1;
    });
    result += slice(next, lines.length + 1);
    for (const body of e.appended) {
      if (result !== '' && !result.endsWith('\n')) result += '\n';
      result += (result.trim() === '' ? '' : '---\n') + newDocumentText(body);
    }
    out.push({file: e.file, text: fromLf(result, eol), before: raw ?? undefined});
  }
  // All files or none; each must still hold what was read (exit 4 otherwise).
  return writeFilesAtomic(out.map((o) => ({path: o.file, text: o.text, before: o.before})));
}
