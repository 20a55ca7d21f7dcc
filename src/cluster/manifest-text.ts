/**
 * Keeping a manifest's meaning and layout when the editor rewrites part of it:
 * strings YAML 1.1 readers (the API server, `oc apply`) take for booleans,
 * numbers or null are written quoted; content added to an empty flow map is
 * written in block style; CRLF files stay CRLF; JSON manifests stay JSON in
 * their own indentation.
 */
import {isDeepStrictEqual} from 'node:util';
import {applyEdits, modify, type FormattingOptions, type JSONPath} from 'jsonc-parser';
import {isMap, isScalar, isSeq, Scalar, visit, type Node} from 'yaml';

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

/**
 * Turn the JSON value at `path` from `before` into `after`, rewriting only what differs: edits go
 * through jsonc-parser (a well-kept minimal-edit JSON library: hand-written offset arithmetic is
 * where layout-keeping editors break), one at a time, each on the current text; every key and
 * item that does not change keeps its bytes.
 */
function patchJson(text: string, path: JSONPath, before: unknown, after: unknown, fmt: FormattingOptions): string {
  if (isDeepStrictEqual(before, after)) return text;
  const edit = (t: string, p: JSONPath, v: unknown, isArrayInsertion = false) => applyEdits(t, modify(t, p, v, {formattingOptions: fmt, isArrayInsertion}));
  const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);
  // Emptied objects and lists are written whole (`{}`, `[]`, not an opening and a closing line).
  if (isObj(before) && isObj(after) && Object.keys(after).length > 0) {
    for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) text = edit(text, [...path, k], undefined);
    for (const [k, v] of Object.entries(after)) text = Object.hasOwn(before, k) ? patchJson(text, [...path, k], before[k], v, fmt) : edit(text, [...path, k], v);
    return text;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length > 0) {
    if (before.length === after.length) {
      after.forEach((v, i) => (text = patchJson(text, [...path, i], before[i], v, fmt)));
      return text;
    }
    // Items removed (the others in order) and items appended: only those are touched.
    const keep: number[] = [];
    let j = 0;
    before.forEach((v, i) => {
      if (j < after.length && isDeepStrictEqual(v, after[j])) {
        keep.push(i);
        j++;
      }
    });
    // (jsonc-parser 3.3.1 corrupts the text when it removes an array's last item: `["a", "b"]` becomes
    // `["a""]`; a list that loses its last item is written whole.)
    if (keep.length > 0 && keep.includes(before.length - 1)) {
      for (let i = before.length - 1; i >= 0; i--) if (!keep.includes(i)) text = edit(text, [...path, i], undefined);
      after.slice(j).forEach((v, k) => (text = edit(text, [...path, keep.length + k], v, true)));
      return text;
    }
  }
  return edit(text, path, after);
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
  const fmt: FormattingOptions = {insertSpaces: indent !== '\t', tabSize: typeof indent === 'number' ? indent : 1, eol};
  let out: string;
  try {
    out = layoutKept(text, value, wasList, items, wanted, fmt, indent, eol);
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
function layoutKept(text: string, value: Obj, wasList: boolean, items: Obj[], wanted: unknown, fmt: FormattingOptions, indent: string | number, eol: string): string {
  let out: string;
  if (wasList) out = patchJson(text, [], value, wanted, fmt);
  else {
    const single = patchJson(text, [], value, items[0], fmt);
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
