import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {diffLines, splitLines, unifiedDiff} from '../../src/lib/unified-diff.js';

/** Apply a unified diff to `from` (our own minimal patcher, strict about context). */
function applyPatch(from: string, patch: string): string {
  const a = splitLines(from);
  const out: string[] = [];
  let ai = 0;
  let toNoNl = false;
  let fromNoNl = false;
  const lines = patch.split('\n').slice(2);
  let last: string | undefined;
  for (const l of lines) {
    if (l === '') continue;
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(l);
    if (m) {
      const start = Number(m[2] === '0' ? m[1] : Number(m[1]) - 1);
      while (ai < start) out.push(a[ai++]!);
      last = undefined;
      continue;
    }
    if (l === '\\ No newline at end of file') {
      if (last === '+') toNoNl = true;
      else if (last === '-') fromNoNl = true;
      else toNoNl = fromNoNl = true;
      continue;
    }
    const op = l[0];
    const text = l.slice(1);
    last = op;
    if (op === ' ' || op === '-') {
      if (a[ai] !== text) throw new Error(`context mismatch at ${ai}: ${JSON.stringify(a[ai])} vs ${JSON.stringify(text)}`);
      ai++;
    }
    if (op === ' ' || op === '+') out.push(text);
  }
  void fromNoNl;
  while (ai < a.length) out.push(a[ai++]!);
  if (out.length === 0) return '';
  const endsOpen = toNoNl || (ai === a.length && !from.endsWith('\n') && from !== '' && !patch.includes('\\ No newline') );
  return out.join('\n') + (endsOpen ? '' : '\n');
}

function lcs(a: string[], b: string[]): number {
  const dp = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  return dp[0]![0]!;
}

const lineArb = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '[[registry]]'), {maxLength: 14});

describe('unified diff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n')).to.equal('');
  });

  it('matches diff -u on a registries.conf edit', function () {
    const from = 'a = 1\n\n[[registry]]\n  prefix = ""\n  location = "quay.io"\n  blocked = true\n\n[[registry]]\n  location = "x"\n';
    const to = 'a = 1\n\n[[registry]]\n  prefix = ""\n  location = "quay.io"\n\n[[registry]]\n  location = "x"\n  insecure = true\n';
    const dir = mkdtempSync(join(tmpdir(), 'udiff-'));
    writeFileSync(join(dir, 'a'), from);
    writeFileSync(join(dir, 'b'), to);
    const r = spawnSync('diff', ['-u', '--label', 'rendered', '--label', 'node', join(dir, 'a'), join(dir, 'b')], {encoding: 'utf8'});
    if (r.error) this.skip();
    expect(unifiedDiff(from, to, {fromLabel: 'rendered', toLabel: 'node'})).to.equal(r.stdout);
  });

  it('marks a missing final newline like diff', () => {
    const d = unifiedDiff('a\nb', 'a\nb\n', {fromLabel: 'x', toLabel: 'y'});
    expect(d).to.equal('--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
  });

  it('splits far-apart changes into separate hunks', () => {
    const a = Array.from({length: 30}, (_, i) => `l${i}`);
    const b = [...a];
    b[2] = 'X';
    b[25] = 'Y';
    const d = unifiedDiff(a.join('\n') + '\n', b.join('\n') + '\n');
    expect(d.match(/^@@/gm)).to.have.length(2);
    expect(d).to.contain('@@ -1,6 +1,6 @@').and.contain('@@ -23,7 +23,7 @@');
  });

  it('two unrelated long texts: past the effort bound the middle is replaced whole, a correct script in bounded memory', () => {
    const a = Array.from({length: 12000}, (_, i) => `old line ${i}`);
    const b = Array.from({length: 12000}, (_, i) => `new line ${i}`);
    const before = process.memoryUsage().rss;
    const edits = diffLines(['same', ...a, 'end'], ['same', ...b, 'end']);
    expect(process.memoryUsage().rss - before).to.be.below(256 * 1024 * 1024);
    expect(edits.filter((e) => e.op === '-').map((e) => e.line)).to.deep.equal(a);
    expect(edits.filter((e) => e.op === '+').map((e) => e.line)).to.deep.equal(b);
    expect(edits.filter((e) => e.op === ' ').map((e) => e.line)).to.deep.equal(['same', 'end']);
    expect(applyPatch(['same', ...a, 'end'].join('\n') + '\n', unifiedDiff(['same', ...a, 'end'].join('\n') + '\n', ['same', ...b, 'end'].join('\n') + '\n'))).to.equal(['same', ...b, 'end'].join('\n') + '\n');
  });

  it('property: the edit script is minimal (matches the LCS length)', () => {
    fc.assert(
      fc.property(lineArb, lineArb, (a, b) => {
        const edits = diffLines(a, b);
        const kept = edits.filter((e) => e.op === ' ').length;
        expect(kept).to.equal(lcs(a, b));
        expect(edits.filter((e) => e.op !== '+').map((e) => e.line)).to.deep.equal(a);
        expect(edits.filter((e) => e.op !== '-').map((e) => e.line)).to.deep.equal(b);
      }),
      {numRuns: 300},
    );
  });

  it('property: applying the unified diff turns the old text into the new one', () => {
    fc.assert(
      fc.property(lineArb, lineArb, fc.integer({min: 0, max: 3}), (a, b, ctx) => {
        const from = a.length ? a.join('\n') + '\n' : '';
        const to = b.length ? b.join('\n') + '\n' : '';
        const d = unifiedDiff(from, to, {context: ctx});
        expect(from === to ? d === '' : applyPatch(from, d) === to).to.equal(true);
      }),
      {numRuns: 300},
    );
  });
});
