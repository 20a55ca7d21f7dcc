/**
 * Unified diff of two texts (Myers' O(ND) shortest edit script, line based),
 * in the format of `diff -u`: `--- a`, `+++ b`, `@@ -l,n +l,n @@` hunks with
 * `context` lines around each change. Pure.
 */

export type Op = {type: ' ' | '-' | '+'; line: string};

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script between two line arrays. */
export function diffLines(a: string[], b: string[]): Op[] {
  // Trim the common prefix and suffix first: edits are usually small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op[] = a.slice(0, start).map((line) => ({type: ' ', line}));
  const tail: Op[] = a.slice(endA).map((line) => ({type: ' ', line}));
  const A = a.slice(start, endA);
  const B = b.slice(start, endB);
  const n = A.length;
  const m = B.length;
  if (n === 0 || m === 0) {
    return [...head, ...A.map((line): Op => ({type: '-', line})), ...B.map((line): Op => ({type: '+', line})), ...tail];
  }
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
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
  // Backtrack.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({type: ' ', line: A[x - 1]!});
      x--;
      y--;
    }
    if (x === prevX) ops.push({type: '+', line: B[y - 1]!});
    else ops.push({type: '-', line: A[x - 1]!});
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({type: ' ', line: A[x - 1]!});
    x--;
    y--;
  }
  ops.reverse();
  return [...head, ...ops, ...tail];
}

/** A `diff -u` style text, or '' when the texts are equal. */
export function unifiedDiff(before: string, after: string, opts: {from?: string; to?: string; context?: number} = {}): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const context = opts.context ?? 3;
  const out: string[] = [`--- ${opts.from ?? 'a'}`, `+++ ${opts.to ?? 'b'}`];
  // Positions of each op in a and b.
  const pos: Array<{ai: number; bi: number}> = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    pos.push({ai, bi});
    if (op.type !== '+') ai++;
    if (op.type !== '-') bi++;
  }
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.type === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (end < ops.length && ops[end]!.type !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.type === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(ops.length, end + context);
        break;
      }
    }
    const slice = ops.slice(start, end);
    const aCount = slice.filter((o) => o.type !== '+').length;
    const bCount = slice.filter((o) => o.type !== '-').length;
    const aStart = aCount === 0 ? pos[start]!.ai : pos[start]!.ai + 1;
    const bStart = bCount === 0 ? pos[start]!.bi : pos[start]!.bi + 1;
    out.push(`@@ -${aStart}${aCount === 1 ? '' : `,${aCount}`} +${bStart}${bCount === 1 ? '' : `,${bCount}`} @@`);
    for (const o of slice) out.push(o.type + o.line);
    i = end;
  }
  const noEol = (t: string) => t !== '' && !t.endsWith('\n');
  if (noEol(before) !== noEol(after)) out.push(noEol(after) ? '\\ No newline at end of file (new)' : '\\ No newline at end of file (current)');
  return out.join('\n') + '\n';
}

/** Apply a unified diff produced by unifiedDiff to `before` (used by tests to check diffs round-trip). */
export function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const a = splitLines(before);
  const out: string[] = [];
  let ai = 0;
  const lines = diff.split('\n');
  for (let i = 2; i < lines.length; i++) {
    const l = lines[i]!;
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(l);
    if (h) {
      const aStart = Number(h[1]);
      const aCount = h[2] === undefined ? 1 : Number(h[2]);
      const target = aCount === 0 ? aStart : aStart - 1;
      while (ai < target) out.push(a[ai++]!);
      continue;
    }
    if (l.startsWith(' ')) {
      out.push(a[ai++]!);
    } else if (l.startsWith('-')) ai++;
    else if (l.startsWith('+')) out.push(l.slice(1));
  }
  while (ai < a.length) out.push(a[ai++]!);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
