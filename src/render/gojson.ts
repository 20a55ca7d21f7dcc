/**
 * JSON bytes as Go's encoding/json writes them: MarshalIndent with two spaces
 * (or compact Marshal), HTML characters and U+2028/U+2029 escaped, map keys
 * sorted by bytes. Maps are passed as `Map` (sorted here); plain objects keep
 * their field order, like Go structs.
 */
import {compareBytes} from '../model/registries-conf.js';

export type GoJson = string | number | boolean | null | GoJson[] | Map<string, GoJson> | {[k: string]: GoJson | undefined};

const escapes: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'};

export function goJsonString(s: string): string {
  return (
    '"' +
    s.replace(/[\x00-\x1f"\\<>&\u2028\u2029]/g, (c) => escapes[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) +
    '"'
  );
}

export function goMarshal(v: GoJson, indent = ''): string {
  return write(v, indent, '');
}

function write(v: GoJson, indent: string, prefix: string): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const nl = indent === '' ? '' : '\n';
  const inner = prefix + indent;
  const sep = indent === '' ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + write(x, indent, inner)).join(',' + nl) + nl + prefix + ']';
  }
  const entries: Array<[string, GoJson]> =
    v instanceof Map
      ? [...v.entries()].sort((a, b) => compareBytes(a[0], b[0]))
      : (Object.entries(v).filter(([, x]) => x !== undefined) as Array<[string, GoJson]>);
  if (entries.length === 0) return '{}';
  return '{' + nl + entries.map(([k, x]) => inner + goJsonString(k) + sep + write(x, indent, inner)).join(',' + nl) + nl + prefix + '}';
}
