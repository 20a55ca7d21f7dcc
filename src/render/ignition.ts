/**
 * Reading files back out of a MachineConfig's Ignition config: RFC 2397 data
 * URLs (base64 or percent-encoded) with optional gzip compression, as MCO
 * writes them into rendered-<pool>-* configs. Pure.
 */
import {gunzipSync} from 'node:zlib';

export interface IgnitionFile {
  path: string;
  /** undefined when the contents could not be decoded (see `error`). */
  content?: string;
  /** Why the contents could not be decoded. */
  error?: string;
  mode?: number;
  overwrite?: boolean;
}

/** Decode an RFC 2397 `data:` URL to bytes. */
export function decodeDataUrl(url: string): Buffer {
  if (!url.startsWith('data:')) throw new Error(`not a data URL: ${url.slice(0, 40)}`);
  const comma = url.indexOf(',');
  if (comma < 0) throw new Error('data URL without a comma');
  const meta = url.slice(5, comma);
  const data = url.slice(comma + 1);
  const isBase64 = meta.split(';').some((p) => p.trim().toLowerCase() === 'base64');
  if (isBase64) return Buffer.from(decodeURIComponent(data), 'base64');
  // Percent-encoding carries bytes, not characters: decode byte-wise.
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes);
}

/** Decode one Ignition file's contents (source + compression). */
export function decodeContents(contents: {source?: unknown; compression?: unknown} | undefined): string {
  const source = contents?.source;
  if (source === undefined || source === null || source === '') return '';
  if (typeof source !== 'string') throw new Error('contents.source is not a string');
  let bytes = decodeDataUrl(source);
  const compression = typeof contents?.compression === 'string' ? contents.compression : '';
  if (compression === 'gzip') bytes = gunzipSync(bytes);
  else if (compression !== '') throw new Error(`unsupported compression ${JSON.stringify(compression)}`);
  return bytes.toString('utf8');
}

/**
 * The files of an Ignition config (spec.config of a MachineConfig), last entry
 * for a path wins as in Ignition. `config` may be the parsed object or its JSON text.
 */
export function ignitionFiles(config: unknown): IgnitionFile[] {
  const cfg = typeof config === 'string' ? (JSON.parse(config) as unknown) : config;
  const files = ((cfg as {storage?: {files?: unknown}})?.storage?.files ?? []) as Array<Record<string, unknown>>;
  const byPath = new Map<string, IgnitionFile>();
  if (!Array.isArray(files)) return [];
  for (const f of files) {
    const path = typeof f?.path === 'string' ? f.path : undefined;
    if (!path) continue;
    const entry: IgnitionFile = {path, ...(typeof f.mode === 'number' ? {mode: f.mode} : {}), ...(typeof f.overwrite === 'boolean' ? {overwrite: f.overwrite} : {})};
    try {
      entry.content = decodeContents(f.contents as {source?: unknown; compression?: unknown});
    } catch (e) {
      entry.error = (e as Error).message;
    }
    byPath.set(path, entry);
  }
  return [...byPath.values()];
}
