/** Human output of `mirror check`: one row per image, then a summary line. */
import type {Painter} from './output.js';
import {firstFailure, type ImageCheck, type Summary} from '../model/mirror-check.js';

export interface MirrorCheckView {
  images: ImageCheck[];
  summary: Summary;
  requireMirror: boolean;
  credentials: string;
}

/** Digests shortened for reading, as explain does; --json keeps them whole. */
const short = (s: string) => s.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/g, '$1…');

function verdictCell(i: ImageCheck, requireMirror: boolean, p: Painter): string {
  const word = i.verdict === 'fail' && i.uncertain ? 'fail?' : i.verdict;
  if (i.verdict === 'mirror') return p.ok(word);
  if (i.verdict === 'source') return requireMirror ? p.err(word) : p.warn(word);
  return p.err(word);
}

export function mirrorCheckText(r: MirrorCheckView, p: Painter): string[] {
  const rows = r.images.map((i) => [short(i.image), i.verdict === 'fail' && i.uncertain ? 'fail?' : i.verdict, i.servedBy ?? '-', short(firstFailure(i) ?? '-')]);
  const head = ['IMAGE', 'VERDICT', 'SERVED BY', 'FIRST FAILURE'];
  const width = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const pad = (s: string, c: number) => s + ' '.repeat(width[c]! - s.length);
  const out = [p.bold(head.map((h, c) => (c === head.length - 1 ? h : pad(h, c))).join('  '))];
  r.images.forEach((i, n) => {
    const row = rows[n]!;
    out.push([pad(row[0]!, 0), verdictCell(i, r.requireMirror, p) + ' '.repeat(width[1]! - row[1]!.length), pad(row[2]!, 2), row[3]!].join('  '));
  });
  const s = r.summary;
  const total = r.images.length;
  out.push('');
  out.push(
    `${total} image${total === 1 ? '' : 's'}: ${s.mirror} from a mirror, ${s.source} from the source${r.requireMirror && s.source > 0 ? ' (not allowed: --require-mirror)' : ''}, ${s.fail} failing, ${s.rejected} rejected; credentials: ${r.credentials}`,
  );
  if (r.images.some((i) => i.verdict === 'fail' && i.uncertain)) out.push(p.dim('fail? = only unreachable or timed-out endpoints were left: not a certain failure'));
  for (const n of new Set(r.images.flatMap((i) => i.notes ?? []))) out.push(p.dim(`note: ${short(n)}`));
  return out;
}
