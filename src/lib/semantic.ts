/**
 * Comparing two versions of a node file: byte equality, and equality of what the
 * file means (TOML, JSON, YAML parsed; PEM by its DER blocks), with a short list
 * of the changes in meaning. Pure.
 */
import {createHash} from 'node:crypto';
import {parseToml} from './toml.js';
import {parse as parseYaml} from 'yaml';

export type FileFormat = 'toml' | 'json' | 'yaml' | 'pem' | 'text';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function formatOf(path: string): FileFormat {
  if (/\.(conf|toml)$/.test(path)) return 'toml';
  if (/\.json$/.test(path)) return 'json';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.(crt|pem|cert)$/.test(path)) return 'pem';
  return 'text';
}

export function parseAs(format: FileFormat, text: string): unknown {
  switch (format) {
    case 'toml': return normalize(parseToml(text));
    case 'json': return JSON.parse(text);
    case 'yaml': return parseYaml(text) ?? null;
    case 'pem': return pemBlocks(text);
    case 'text': return text;
  }
}

/** Certificates as base64 DER strings, ignoring line wrapping and text around them. */
function pemBlocks(text: string): string[] {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push(`${m[1]}:${m[2]!.replace(/\s+/g, '')}`);
  if (out.length === 0) throw new Error('no PEM block');
  return out;
}

/** TOML dates become strings so that deep equality works on plain data. */
function normalize(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = normalize(x);
    return o;
  }
  return v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface Comparison {
  format: FileFormat;
  bytesEqual: boolean;
  /** Same meaning; undefined when a side does not parse (then only bytes count). */
  semanticEqual?: boolean;
  /** Why a side could not be parsed. */
  parseError?: string;
  /** Changes in meaning, `path: old -> new`, at most `maxChanges`. */
  changes: string[];
}

/** Compare `actual` against `expected`. */
export function compareText(path: string, expected: string, actual: string, maxChanges = 20): Comparison {
  const format = formatOf(path);
  const bytesEqual = expected === actual;
  if (bytesEqual) return {format, bytesEqual, semanticEqual: true, changes: []};
  if (format === 'text') return {format, bytesEqual, semanticEqual: false, changes: []};
  let a: unknown;
  let b: unknown;
  try {
    a = parseAs(format, expected);
  } catch (e) {
    return {format, bytesEqual, parseError: `expected content does not parse as ${format}: ${(e as Error).message.split('\n')[0]}`, changes: []};
  }
  try {
    b = parseAs(format, actual);
  } catch (e) {
    return {format, bytesEqual, parseError: `does not parse as ${format}: ${(e as Error).message.split('\n')[0]}`, changes: []};
  }
  const changes: string[] = [];
  if (format === 'pem') {
    if (!deepEqual(a, b)) changes.push(`certificates differ (${(a as string[]).length} PEM block(s) expected, ${(b as string[]).length} found)`);
  } else structuralChanges(a, b, '', changes, maxChanges);
  return {format, bytesEqual, semanticEqual: changes.length === 0, changes};
}

/** A stable key for arrays of tables that name themselves (registries.conf `[[registry]]`, mirrors). */
function keyOf(x: unknown): string | undefined {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  for (const k of ['prefix', 'location', 'name']) if (typeof o[k] === 'string' && o[k] !== '') return `${k}=${JSON.stringify(o[k])}`;
  return undefined;
}

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

function structuralChanges(a: unknown, b: unknown, at: string, out: string[], max: number): void {
  if (out.length >= max) return;
  if (deepEqual(a, b)) return;
  const label = at || '(document)';
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = a.map(keyOf);
    const kb = b.map(keyOf);
    const keyed = ka.every((k) => k !== undefined) && kb.every((k) => k !== undefined) && new Set(ka).size === ka.length && new Set(kb).size === kb.length;
    if (keyed) {
      for (let i = 0; i < a.length; i++) {
        const j = kb.indexOf(ka[i]);
        if (j < 0) out.push(`${at}[${ka[i]}]: removed`);
        else structuralChanges(a[i], b[j], `${at}[${ka[i]}]`, out, max);
      }
      for (let j = 0; j < b.length; j++) if (!ka.includes(kb[j])) out.push(`${at}[${kb[j]}]: added`);
      const common = ka.filter((k) => kb.includes(k));
      const commonB = kb.filter((k) => ka.includes(k));
      if (out.length < max && common.join('\0') !== commonB.join('\0')) out.push(`${label}: order changed`);
      return;
    }
    if (a.every((x) => typeof x !== 'object') && b.every((x) => typeof x !== 'object')) {
      out.push(`${label}: ${show(a)} -> ${show(b)}`);
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) structuralChanges(a[i], b[i], `${at}[${i}]`, out, max);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const key = /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
      structuralChanges((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${key}` : key, out, max);
    }
    return;
  }
  if (typeof a === 'string' && typeof b === 'string' && (a.length > 60 || b.length > 60)) {
    out.push(`${label}: changed`);
    return;
  }
  out.push(`${label}: ${show(a)} -> ${show(b)}`);
}
