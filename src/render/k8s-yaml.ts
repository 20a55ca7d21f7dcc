/**
 * Kubernetes objects as YAML the way Go clients write them (JSON -> YAML: map keys sorted,
 * sequences not indented, no line folding), so the same objects always give the same bytes.
 */
import {stringify} from 'yaml';

export function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return x;
}

export function objectYaml(obj: unknown): string {
  return stringify(sortKeys(obj), {lineWidth: 0, indentSeq: false});
}

/** Several objects as one multi-document stream. */
export function objectsYaml(objs: unknown[]): string {
  return objs.map(objectYaml).join('---\n');
}
