/**
 * Bounds on manifest text, checked before any YAML parser runs: size, document
 * count, flow nesting depth and aliases; then, after parsing, nesting depth,
 * node count and recursive aliases of the value. A hostile manifest (alias
 * bomb, thousands of unbalanced `[`, a recursive alias, a string of megabytes)
 * ends as one problem in well under a second instead of a parser running away.
 * Pure.
 */
import jsyaml from 'js-yaml';
import {parseDocument} from 'yaml';
import type {Problem} from '../lib/errors.js';

export const LIMITS = {
  /** etcd's default request limit: the API server cannot store a larger object. */
  documentBytes: 1.5 * 1024 * 1024,
  /** A manifest file (many documents). */
  fileBytes: 64 * 1024 * 1024,
  documents: 10_000,
  /** Nesting of collections (flow `[`/`{` in the text, any collection in the value). */
  depth: 100,
  /** Nodes an alias may expand to in total (the `yaml` library's maxAliasCount). */
  aliasExpansion: 100,
  /** Nodes in one document's value. */
  nodes: 1_000_000,
};

export interface Scan {
  /** Why the text is refused, with the 1-based line where that became clear. */
  refusal?: {line: number; message: string};
  /** The text uses aliases (`*name`): parse it with alias expansion bounded. */
  hasAlias: boolean;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Characters after which a token starts (so a quote or `*` there is syntax, not text). */
const tokenStart = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0x5b || c === 0x7b || c === 0x2c || c === 0x3a || c === 0x2d || c === 0x3f || c === -1;

/** One pass over the text: flow nesting depth outside quotes and comments, aliases. Linear time. */
export function scanText(text: string, firstLine = 1): Scan {
  if (text.length > LIMITS.fileBytes) return {hasAlias: false, refusal: {line: firstLine, message: `is ${mib(text.length)}; manifests are refused above ${mib(LIMITS.fileBytes)}`}};
  let depth = 0;
  let line = firstLine;
  let hasAlias = false;
  let prev = -1;
  let docs = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      prev = c;
      if (text.startsWith('---', i + 1) && ++docs > LIMITS.documents) return {hasAlias, refusal: {line, message: `holds more than ${LIMITS.documents} documents; manifests are refused above that per file`}};
      continue;
    }
    if (c === 0x23 && (prev === -1 || prev === 32 || prev === 9 || prev === 10)) {
      // A comment runs to the end of the line.
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if ((c === 0x22 || c === 0x27) && tokenStart(prev)) {
      // A quoted scalar: skip to its closing quote (a double quote may be escaped; '' is a quote inside single quotes).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 10) line++;
        else if (c === 0x22 && d === 0x5c) i++;
        else if (d === c) {
          if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
      }
      prev = c;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > LIMITS.depth) return {hasAlias, refusal: {line, message: `nests collections deeper than ${LIMITS.depth} levels`}};
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
    else if (c === 0x2a && tokenStart(prev) && i + 1 < text.length && !/[\s,[\]{}]/.test(text[i + 1]!)) hasAlias = true;
    prev = c;
  }
  return {hasAlias};
}

/** Refusal for a document's size (before parsing it). */
export function documentTooLarge(bytes: number): string | undefined {
  return bytes > LIMITS.documentBytes ? `the document is ${mib(bytes)}; the API server cannot store an object above ${mib(LIMITS.documentBytes)} (etcd's default request limit)` : undefined;
}

/**
 * After parsing: refuse a recursive alias (the value contains itself), nesting
 * deeper than the limit and more nodes than the limit. Undefined when fine.
 */
export function valueProblem(value: unknown): string | undefined {
  let nodes = 0;
  const onPath = new Set<object>();
  const walk = (v: unknown, depth: number): string | undefined => {
    if (++nodes > LIMITS.nodes) return `holds more than ${LIMITS.nodes} values`;
    if (v === null || typeof v !== 'object') return undefined;
    if (depth > LIMITS.depth) return `nests collections deeper than ${LIMITS.depth} levels`;
    if (onPath.has(v)) return 'contains itself (a recursive alias: an anchor used inside its own value)';
    onPath.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      const why = walk(x, depth + 1);
      if (why) return why;
    }
    onPath.delete(v);
    return undefined;
  };
  return walk(value, 0);
}

/** As Kubernetes reads YAML (sigs.k8s.io/yaml): timestamps stay strings (js-yaml's default makes them Dates), merge keys work. */
const K8S_SCHEMA = jsyaml.CORE_SCHEMA.extend({implicit: [(jsyaml as unknown as {types: {merge: jsyaml.Type}}).types.merge]});

export interface DocText {
  text: string;
  /** Line of the chunk's first line (1-based), for error positions. */
  firstLine: number;
  /** Line where the object's content starts, for messages. */
  line: number;
  /** Line after the document's last (1-based): the document is lines firstLine .. endLine - 1 of the text. */
  endLine: number;
}

/**
 * One document's value: js-yaml when the text has no alias (fast), else the
 * `yaml` library with alias expansion bounded; then recursion, depth and size checked.
 */
export function parseBounded(d: DocText, file: string, hasAlias: boolean): {body: unknown} | {problem: Problem} {
  let body: unknown;
  try {
    if (hasAlias) {
      const doc = parseDocument(d.text, {prettyErrors: false, logLevel: 'error'});
      const err = doc.errors[0];
      if (err) return {problem: {field: 'yaml', message: err.message.split('\n')[0]!, source: `${file}:${d.firstLine + (err.linePos?.[0]?.line ?? 1) - 1}`}};
      body = doc.toJS({maxAliasCount: LIMITS.aliasExpansion});
    } else body = jsyaml.load(d.text, {filename: file, schema: K8S_SCHEMA});
  } catch (e) {
    const err = e as {reason?: string; message: string; mark?: {line: number}};
    if (/alias/i.test(err.message) && !err.mark) return {problem: {field: 'yaml', message: `aliases expand beyond ${LIMITS.aliasExpansion} values (an alias bomb?): ${err.message.split('\n')[0]!}`, source: `${file}:${d.line}`}};
    return {problem: {field: 'yaml', message: err.reason ?? err.message.split('\n')[0]!, source: `${file}:${d.firstLine + (err.mark?.line ?? 0)}`}};
  }
  const why = valueProblem(body);
  return why ? {problem: {field: 'yaml', message: `the document ${why}`, source: `${file}:${d.line}`}} : {body};
}

