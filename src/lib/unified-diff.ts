/**
 * Line diff (Myers' O(ND) algorithm) and the unified format of `diff -u`.
 * General purpose: any two texts, any labels, any amount of context.
 */

export type Edit = {op: ' ' | '-' | '+'; line: string};

/** Split into lines the way diff does: a final newline does not start an empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script turning `a` into `b`. */
export function diffLines(a: string[], b: string[]): Edit[] {
  // Common prefix and suffix first: most real diffs are small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [
    ...a.slice(0, start).map((line) => ({op: ' ' as const, line})),
    ...middle,
    ...a.slice(endA).map((line) => ({op: ' ' as const, line})),
  ];
}

/**
 * Edit distance beyond which the diff stops looking for the shortest script and replaces the whole
 * changed middle (all its old lines out, all its new lines in): Myers' search costs O(N·D) time, and
 * its trace O(D²) memory. (A preview of two unrelated 10,000-line files took 5 GB and 20 s before.)
 */
const MAX_EDIT_DISTANCE = 2000;

function myers(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({op: '+', line}));
  if (m === 0) return a.map((line) => ({op: '-', line}));
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 4);
  // trace[d]: the diagonals -d-1 .. d+1 of V as they were before step d (all the walk back reads).
  const trace: Int32Array[] = [];
  const at = (vd: Int32Array, d: number, k: number) => vd[k + d + 1]!;
  let found = false;
  for (let d = 0; d <= Math.min(max, MAX_EDIT_DISTANCE) && !found; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return [...a.map((line) => ({op: '-' as const, line})), ...b.map((line) => ({op: '+' as const, line}))];
  // Walk back through the saved V arrays.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && at(vd, d, k - 1) < at(vd, d, k + 1))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : at(vd, d, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({op: ' ', line: a[x - 1]!});
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({op: '+', line: b[y - 1]!});
      else edits.push({op: '-', line: a[x - 1]!});
      x = prevX;
      y = prevY;
    }
  }
  return edits.reverse();
}

export interface UnifiedOptions {
  fromLabel?: string;
  toLabel?: string;
  context?: number;
}

/**
 * `diff -u` output, or '' when the texts are equal. A missing final newline is
 * marked `\ No newline at end of file` as diff does.
 */
export function unifiedDiff(from: string, to: string, opts: UnifiedOptions = {}): string {
  if (from === to) return '';
  const ctx = opts.context ?? 3;
  const a = splitLines(from);
  const b = splitLines(to);
  const edits = diffLines(a, b);
  const noNlA = from !== '' && !from.endsWith('\n');
  const noNlB = to !== '' && !to.endsWith('\n');
  // A last line that differs only in its newline is a change too.
  if (noNlA !== noNlB && a.length > 0 && b.length > 0) {
    const last = edits.length - 1;
    if (edits[last]!.op === ' ') {
      const line = edits[last]!.line;
      edits.splice(last, 1, {op: '-', line}, {op: '+', line});
    }
  }
  const out: string[] = [`--- ${opts.fromLabel ?? 'a'}`, `+++ ${opts.toLabel ?? 'b'}`];
  // Index positions of each edit in a and b.
  const pos: Array<{ai: number; bi: number}> = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    pos.push({ai, bi});
    if (e.op !== '+') ai++;
    if (e.op !== '-') bi++;
  }
  let i = 0;
  while (i < edits.length) {
    if (edits[i]!.op === ' ') {
      i++;
      continue;
    }
    let hs = Math.max(0, i - ctx);
    let he = i;
    // Extend the hunk while changes are within 2*ctx of each other.
    let j = i;
    while (j < edits.length) {
      if (edits[j]!.op !== ' ') {
        he = j;
        j++;
        continue;
      }
      let k = j;
      while (k < edits.length && edits[k]!.op === ' ') k++;
      if (k < edits.length && k - j <= 2 * ctx) j = k;
      else break;
    }
    const end = Math.min(edits.length, he + 1 + ctx);
    hs = Math.max(hs, 0);
    const lenA = edits.slice(hs, end).filter((e) => e.op !== '+').length;
    const lenB = edits.slice(hs, end).filter((e) => e.op !== '-').length;
    const startA = lenA === 0 ? pos[hs]!.ai : pos[hs]!.ai + 1;
    const startB = lenB === 0 ? pos[hs]!.bi : pos[hs]!.bi + 1;
    out.push(`@@ -${range(startA, lenA)} +${range(startB, lenB)} @@`);
    for (let x = hs; x < end; x++) {
      const e = edits[x]!;
      out.push(e.op + e.line);
      const p = pos[x]!;
      if (e.op !== '+' && noNlA && p.ai === a.length - 1) out.push('\\ No newline at end of file');
      else if (e.op === '+' && noNlB && p.bi === b.length - 1) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  return out.join('\n') + '\n';
}

function range(start: number, len: number): string {
  return len === 1 ? `${start}` : `${start},${len}`;
}
