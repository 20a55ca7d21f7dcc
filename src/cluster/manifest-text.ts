/**
 * Keeping a manifest's meaning and layout when the editor rewrites part of it:
 * strings YAML 1.1 readers (the API server, `oc apply`) take for booleans,
 * numbers or null are written quoted; content added to an empty flow map is
 * written in block style; CRLF files stay CRLF; JSON manifests stay JSON in
 * their own indentation.
 */
import {isDeepStrictEqual} from 'node:util';
import {applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath} from 'jsonc-parser';
import {isMap, isScalar, isSeq, Scalar, visit, type Node} from 'yaml';
import {isPlainObject} from '../lib/objects.js';

/** Plain scalars a YAML 1.1 reader does not read as a string (booleans, null, ints in any base, floats, sexagesimals, timestamps, merge). */
const YAML11_NOT_STRING = new RegExp(
  [
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    '^(?:~|null|Null|NULL|)$',
    '^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)$',
    '^[-+]?(?:[0-9][0-9_]*)?\\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$',
    '^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$',
    '^\\d{4}-\\d\\d?-\\d\\d?',
    '^(?:<<|=)$',
  ].join('|'),
);

/** Would a YAML 1.1 reader take this plain string for something else? */
export function ambiguousIn11(s: string): boolean {
  return YAML11_NOT_STRING.test(s) && /[0-9a-zA-Z~<=]|^$/.test(s);
}

/** Quote every plain string scalar (keys and values) under `node` that YAML 1.1 would misread. */
export function quoteAmbiguous(node: unknown): void {
  const fix = (n: unknown) => {
    if (isScalar(n) && typeof n.value === 'string' && (n.type === undefined || n.type === Scalar.PLAIN) && ambiguousIn11(n.value)) n.type = Scalar.QUOTE_DOUBLE;
  };
  if (isScalar(node)) fix(node);
  else if (isMap(node) || isSeq(node)) {
    visit(node as Node, {
      Scalar: (_k, n) => fix(n),
      Pair: (_k, p) => fix(p.key),
    });
  }
}

/** An empty flow map (`spec: {}`) that gets content is written in block style. */
export function blockIfWasEmpty(node: unknown, wasEmpty: boolean): void {
  if (wasEmpty && isMap(node) && node.items.length > 0) node.flow = false;
}

/** Line ending of a text: CRLF when most of its lines end so. */
export function lineEnding(text: string): '\r\n' | '\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
}

export const toLf = (text: string) => text.replace(/\r\n/g, '\n');
export const fromLf = (text: string, eol: '\r\n' | '\n') => (eol === '\n' ? text : text.replace(/\r?\n/g, '\r\n'));

/** Is this manifest text JSON (one JSON value), not YAML? */
export function isJsonText(file: string, text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return /\.json$/i.test(file);
  }
}

/** The indentation a JSON text uses (2 spaces, 4, a tab; 0 when on one line). */
export function jsonIndent(text: string): string | number {
  const m = /\n([ \t]+)["{[\]}]/.exec(text);
  return m ? (m[1]!.includes('\t') ? '\t' : m[1]!.length) : 0;
}

type Obj = Record<string, unknown>;
const same = (a: Obj, kind: string, name: string, ns?: string) =>
  a.kind === kind && (a.metadata as Obj | undefined)?.name === name && (((a.metadata as Obj | undefined)?.namespace as string | undefined) ?? '') === (ns ?? '');

/** Changed items in one list above which the list is written whole (each edit re-reads the text). */
const MAX_ITEM_EDITS = 32;

/** How the file writes JSON: jsonc-parser's formatting options, the indentation unit and line ending. */
interface JsonLayout {
  fmt: FormattingOptions;
  indent: string | number;
  eol: string;
}

/** The value at `path`, which exists, written as JSON.stringify writes it in the file's indentation at that spot. */
function spliceValue(text: string, path: JSONPath, value: unknown, l: JsonLayout): string {
  const node = findNodeAtLocation(parseTree(text)!, path);
  if (!node) throw new Error(`no JSON value at ${path.join('.')}`);
  const lineStart = text.lastIndexOf('\n', node.offset - 1) + 1;
  const lead = /^[ \t]*/.exec(text.slice(lineStart, node.offset))![0];
  return text.slice(0, node.offset) + JSON.stringify(value, null, l.indent).split('\n').join(l.eol + lead) + text.slice(node.offset + node.length);
}

/**
 * Set (or, with undefined, remove; with `insert`, insert into a list) the value at `path`. Objects and
 * lists go in as a placeholder through jsonc-parser, then as our own JSON.stringify: its formatter
 * takes time quadratic in the size of the value (15 s for 2,000 mirror rules).
 */
function setJson(text: string, path: JSONPath, value: unknown, l: JsonLayout, insert = false): string {
  const big = value !== null && typeof value === 'object';
  const out = applyEdits(text, modify(text, path, big ? 0 : value, {formattingOptions: l.fmt, isArrayInsertion: insert}));
  return big ? spliceValue(out, path, value, l) : out;
}

/**
 * Turn the JSON value at `path` from `before` into `after`, rewriting only what differs: edits go
 * through jsonc-parser (a well-kept minimal-edit JSON library: hand-written offset arithmetic is
 * where layout-keeping editors break), one at a time, each on the current text; every key and
 * item that does not change keeps its bytes.
 */
function patchJson(text: string, path: JSONPath, before: unknown, after: unknown, l: JsonLayout): string {
  if (isDeepStrictEqual(before, after)) return text;
  // Emptied objects and lists are written whole (`{}`, `[]`, not an opening and a closing line).
  if (isPlainObject(before) && isPlainObject(after) && Object.keys(after).length > 0) {
    for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) text = setJson(text, [...path, k], undefined, l);
    for (const [k, v] of Object.entries(after)) text = Object.hasOwn(before, k) ? patchJson(text, [...path, k], before[k], v, l) : setJson(text, [...path, k], v, l);
    return text;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length > 0) {
    // Each edit re-reads the whole text: a list with many changed items is written whole instead.
    if (before.length === after.length && after.filter((v, i) => !isDeepStrictEqual(before[i], v)).length <= MAX_ITEM_EDITS) {
      after.forEach((v, i) => (text = patchJson(text, [...path, i], before[i], v, l)));
      return text;
    }
    // Items removed (the others in order) and items appended: only those are touched.
    const keep = new Set<number>();
    let j = 0;
    before.forEach((v, i) => {
      if (j < after.length && isDeepStrictEqual(v, after[j])) {
        keep.add(i);
        j++;
      }
    });
    // (jsonc-parser 3.3.1 corrupts the text when it removes an array's last item: `["a", "b"]` becomes
    // `["a""]`; a list that loses its last item is written whole.)
    if (keep.size > 0 && keep.has(before.length - 1) && before.length - keep.size + after.length - j <= MAX_ITEM_EDITS) {
      for (let i = before.length - 1; i >= 0; i--) if (!keep.has(i)) text = setJson(text, [...path, i], undefined, l);
      after.slice(j).forEach((v, k) => (text = setJson(text, [...path, keep.size + k], v, l, true)));
      return text;
    }
  }
  return after !== null && typeof after === 'object' ? spliceValue(text, path, after, l) : setJson(text, path, after, l);
}

/**
 * Apply object changes to a JSON manifest (one object or a List): replaced, deleted, appended (a
 * single object becomes a List to hold a second one: one file stays one file, which `oc apply -f`
 * and a kustomization already list). Only what changes is rewritten: untouched keys, items and
 * objects keep their bytes (the object wrapped into a List keeps its own, one level deeper).
 */
export function editJson(text: string, changes: Array<{kind: string; name: string; namespace?: string; after?: Obj}>, appended: Obj[]): string {
  const value = JSON.parse(text) as Obj;
  const wasList = Array.isArray(value.items) && typeof value.kind === 'string' && value.kind.endsWith('List');
  let items: Obj[] = wasList ? [...(value.items as Obj[])] : [value];
  for (const c of changes) {
    const i = items.findIndex((o) => same(o, c.kind, c.name, c.namespace));
    if (i < 0) continue;
    if (c.after) items[i] = c.after;
    else items = items.filter((_, j) => j !== i);
  }
  items.push(...appended);
  const wanted = wasList ? {...value, items} : items.length === 1 ? items[0] : {apiVersion: 'v1', kind: 'List', items};
  const indent = jsonIndent(text);
  const whole = () => JSON.stringify(wanted, null, indent) + (text.endsWith('\n') ? '\n' : '');
  if (indent === 0 || (!wasList && items.length === 0)) return whole();
  const eol = lineEnding(text);
  const layout: JsonLayout = {fmt: {insertSpaces: indent !== '\t', tabSize: typeof indent === 'number' ? indent : 1, eol}, indent, eol};
  let out: string;
  try {
    out = layoutKept(text, value, wasList, items, wanted, layout);
  } catch {
    return whole();
  }
  // The edits must mean exactly the objects planned; anything else falls back to writing them whole.
  try {
    if (isDeepStrictEqual(JSON.parse(out), wanted)) return out;
  } catch {
    // not JSON: fall through
  }
  return whole();
}

/** The edited text, each object keeping its own layout (see editJson). */
function layoutKept(text: string, value: Obj, wasList: boolean, items: Obj[], wanted: unknown, layout: JsonLayout): string {
  const {indent, eol} = layout;
  let out: string;
  if (wasList) out = patchJson(text, [], value, wanted, layout);
  else {
    const single = patchJson(text, [], value, items[0], layout);
    if (items.length === 1) out = single;
    else {
      // The one object, now the List's first item: its own text, two levels deeper.
      const unit = typeof indent === 'number' ? ' '.repeat(indent) : indent;
      const deeper = (t: string) => t.trim().split(eol).join(eol + unit + unit);
      const rest = items.slice(1).map((o) => `,${eol}${unit}${unit}${deeper(JSON.stringify(o, null, indent).split('\n').join(eol))}`);
      out = `{${eol}${unit}"apiVersion": "v1",${eol}${unit}"kind": "List",${eol}${unit}"items": [${eol}${unit}${unit}${deeper(single)}${rest.join('')}${eol}${unit}]${eol}}` + (text.endsWith('\n') ? eol : '');
    }
  }
  return out;
}
