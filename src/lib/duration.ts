import {UserError} from './errors.js';

/** `60s`, `2m`, `1h30m`, `500ms`, or a bare number of seconds -> milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    total += Number(m[1]) * {ms: 1, s: 1000, m: 60_000, h: 3_600_000}[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== t.length || t === '' || total <= 0) throw new UserError(`--${flag} ${JSON.stringify(text)}: not a duration (use e.g. 60s, 2m, 500ms)`);
  return Math.round(total);
}
