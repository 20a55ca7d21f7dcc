/**
 * Editing mirror-set objects inside manifest files (a GitOps repository) while
 * keeping everything else byte-for-byte: other documents keep their exact
 * text, and the edited document keeps its comments, key order and sequence
 * style. Pure: file texts in, file texts out.
 */
import {isMap, isScalar, isSeq, parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq} from 'yaml';
import {UserError} from '../lib/errors.js';
import {API_VERSION, LIST_KEY, mirrorSetObject, type ObjectChange} from './mirrors.js';
import type {MirrorRule, MirrorSet} from './types.js';

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

/** Split a YAML stream into chunks (each starting at a `---` line, except the first) whose concatenation is the text. */
export function splitDocuments(text: string): string[] {
  const chunks: string[] = [];
  let cur = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (/^---(?:[ \t].*)?\r?\n?$/.test(line) && cur !== '') {
      chunks.push(cur);
      cur = '';
    }
    cur += line;
  }
  if (cur !== '') chunks.push(cur);
  return chunks;
}

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

function toText(doc: Document, original: string): string {
  const s = doc.toString({indentSeq: indentSeqOf(original), lineWidth: 0});
  return original.startsWith('---') && !s.startsWith('---') ? `---\n${s}` : s;
}

function ruleNode(doc: Document, set: MirrorSet, rule: MirrorRule): unknown {
  const o: Record<string, unknown> = {source: rule.source};
  if (rule.mirrors.length > 0) o.mirrors = [...rule.mirrors];
  if (set.kind !== 'ImageContentSourcePolicy' && rule.mirrorSourcePolicy) o.mirrorSourcePolicy = rule.mirrorSourcePolicy;
  return doc.createNode(o);
}

/** Apply one update to the document: fine-grained, so comments on untouched rules and mirrors survive. */
function updateDoc(doc: Document, change: ObjectChange): void {
  const before = change.before!;
  const after = change.after!;
  const origin = change.ruleOrigin ?? after.rules.map(() => -1);
  const path = ['spec', LIST_KEY[after.kind]];
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) {
    doc.setIn(path, doc.createNode(after.rules.map((r) => ruleNode(doc, after, r))));
    return;
  }
  const kept = new Set(origin.filter((o) => o >= 0));
  for (let i = before.rules.length - 1; i >= 0; i--) if (!kept.has(i)) seq.items.splice(i, 1);
  after.rules.forEach((rule, j) => {
    const o = origin[j]!;
    if (o < 0) {
      seq.add(ruleNode(doc, after, rule));
      return;
    }
    const item = seq.items[j];
    const old = before.rules[o]!;
    if (!isMap(item)) {
      seq.items[j] = ruleNode(doc, after, rule) as never;
      return;
    }
    updateRule(doc, item as YAMLMap, old, rule, after);
  });
}

function updateRule(doc: Document, item: YAMLMap, old: MirrorRule, rule: MirrorRule, set: MirrorSet): void {
  if (JSON.stringify(old.mirrors) !== JSON.stringify(rule.mirrors)) {
    const ms = item.get('mirrors', true);
    if (rule.mirrors.length === 0) item.delete('mirrors');
    else if (!isSeq(ms)) item.set('mirrors', doc.createNode([...rule.mirrors]));
    else {
      const seq = ms as YAMLSeq;
      for (let i = seq.items.length - 1; i >= 0; i--) {
        const v = seq.items[i];
        if (!isScalar(v) || !rule.mirrors.includes(String(v.value))) seq.items.splice(i, 1);
      }
      const have = seq.items.map((v) => String((v as {value: unknown}).value));
      for (const m of rule.mirrors) if (!have.includes(m)) seq.add(doc.createNode(m));
      const now = seq.items.map((v) => String((v as {value: unknown}).value));
      if (JSON.stringify(now) !== JSON.stringify(rule.mirrors)) item.set('mirrors', doc.createNode([...rule.mirrors]));
    }
  }
  if (set.kind !== 'ImageContentSourcePolicy' && (old.mirrorSourcePolicy || '') !== (rule.mirrorSourcePolicy || '')) {
    if (rule.mirrorSourcePolicy) item.set('mirrorSourcePolicy', rule.mirrorSourcePolicy);
    else item.delete('mirrorSourcePolicy');
  }
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
  /** For creates: the file the object goes to. For migration: the ICSP it replaces. */
  file?: string;
  replaces?: {kind: string; name: string};
}

/**
 * Apply object changes to manifest files. `files` holds every file read with
 * -f; objects are found by kind and name. Returns only the files that change.
 */
export function editManifests(files: FileText[], changes: PlacedChange[]): FileEdit[] {
  const chunks = new Map(files.map((f) => [f.file, splitDocuments(f.text)]));
  const created = new Map<string, string[]>();
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
      convertDoc(doc, c.after!);
      cs[i] = toText(doc, cs[i]!);
      touched.add(file);
      continue;
    }
    if (c.action === 'create') {
      const file = c.file!;
      const cs = chunks.get(file);
      const text = objectYaml(c.after!);
      if (cs) {
        const last = cs.length > 0 ? cs[cs.length - 1]! : '';
        if (last !== '' && !last.endsWith('\n')) cs[cs.length - 1] = last + '\n';
        cs.push(cs.length > 0 && cs.join('').trim() !== '' ? `---\n${text}` : text);
        touched.add(file);
      } else {
        const list = created.get(file) ?? [];
        list.push(list.length > 0 ? `---\n${text}` : text);
        created.set(file, list);
      }
      continue;
    }
    const {file, i} = locate(c.kind, c.name);
    const cs = chunks.get(file)!;
    if (c.action === 'delete') {
      const removed = cs[i]!;
      cs.splice(i, 1);
      // The first document loses its leading marker only when the file started with it.
      if (i === 0 && cs.length > 0 && !removed.startsWith('---') && cs[0]!.startsWith('---\n')) cs[0] = cs[0]!.slice(4);
    } else {
      const doc = parseDocument(cs[i]!, {version: '1.1'});
      updateDoc(doc, c);
      cs[i] = toText(doc, cs[i]!);
    }
    touched.add(file);
  }
  const out: FileEdit[] = [];
  for (const f of files) if (touched.has(f.file)) out.push({file: f.file, before: f.text, after: chunks.get(f.file)!.join('')});
  for (const [file, list] of created) out.push({file, after: list.join('')});
  return out;
}
