/**
 * Unified diffs of small texts (objects, node files) for plan previews and the
 * migration proof. Line-based LCS; the inputs are at most a few thousand lines.
 */

type Op = {t: ' ' | '-' | '+'; line: string; a: number; b: number};

function splitLines(s: string): string[] {
  if (s === '') return [];
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function ops(a: string[], b: string[]): Op[] {
  // Trim the common head and tail so the quadratic table only covers the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  const lcs: Uint32Array[] = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Op[] = [];
  for (let k = 0; k < head; k++) out.push({t: ' ', line: a[k]!, a: k, b: k});
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      out.push({t: ' ', line: am[i]!, a: head + i, b: head + j});
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({t: '+', line: bm[j]!, a: head + i, b: head + j});
      j++;
    } else {
      out.push({t: '-', line: am[i]!, a: head + i, b: head + j});
      i++;
    }
  }
  for (let k = 0; k < tail; k++) out.push({t: ' ', line: a[a.length - tail + k]!, a: a.length - tail + k, b: b.length - tail + k});
  return out;
}

/**
 * `diff -u` style text with `context` lines around each change; "" when equal.
 * Removals come before additions within a change, as diff(1) prints them.
 */
export function unifiedDiff(before: string, after: string, labels: {from: string; to: string}, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const all = ops(a, b);
  const changed = all.map((o, k) => (o.t !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) {
    // Only the final newline differs.
    return `--- ${labels.from}\n+++ ${labels.to}\n\\ the texts differ only in their final newline\n`;
  }
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(all.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const lines = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const [lo, hi] of hunks) {
    const slice = all.slice(lo, hi + 1);
    const aCount = slice.filter((o) => o.t !== '+').length;
    const bCount = slice.filter((o) => o.t !== '-').length;
    const aStart = aCount === 0 ? slice[0]!.a : slice[0]!.a + 1;
    const bStart = bCount === 0 ? slice[0]!.b : slice[0]!.b + 1;
    lines.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    // Group each run of changes so removals print before additions.
    let run: Op[] = [];
    const flush = () => {
      lines.push(...run.filter((o) => o.t === '-').map((o) => '-' + o.line), ...run.filter((o) => o.t === '+').map((o) => '+' + o.line));
      run = [];
    };
    for (const o of slice) {
      if (o.t === ' ') {
        flush();
        lines.push(' ' + o.line);
      } else run.push(o);
    }
    flush();
  }
  return lines.join('\n') + '\n';
}
