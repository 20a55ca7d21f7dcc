/** The unified diff: exact format on examples, and a round-trip property against the patch applier. */
import {expect} from 'chai';
import fc from 'fast-check';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {applyUnifiedDiff, diffLines, unifiedDiff} from '../../src/lib/diff.js';

describe('unified diff', () => {
  it('equal texts give no diff', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).to.equal('');
  });

  it('formats hunks like diff -u', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].join('\n') + '\n';
    const b = a.replace('2\n', '2\nnew\n').replace('11\n', '');
    expect(unifiedDiff(a, b, {from: 'a', to: 'b'})).to.equal(['--- a', '+++ b', '@@ -1,5 +1,6 @@', ' 1', ' 2', '+new', ' 3', ' 4', ' 5', '@@ -8,5 +9,4 @@', ' 8', ' 9', ' 10', '-11', ' 12', ''].join('\n'));
  });

  it('agrees with GNU diff -u on the hunk bodies when the edit script is unique', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-'));
    const a = 'spec:\n  registrySources:\n    allowedRegistries:\n    - quay.io\n    - registry.redhat.io\n';
    const b = 'spec:\n  registrySources:\n    allowedRegistries:\n    - quay.io\n    - ghcr.io\n    - registry.redhat.io\n    insecureRegistries:\n    - x.io\n';
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    let gnu = '';
    try {
      execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')]);
    } catch (e) {
      gnu = String((e as {stdout: Buffer}).stdout);
    }
    const body = (s: string) => s.split('\n').slice(2).join('\n');
    expect(body(unifiedDiff(a, b))).to.equal(body(gnu));
  });

  it('round-trips: applying the diff to the old text gives the new text (1000 runs)', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '', '  x: 1', '- quay.io'), {maxLength: 30});
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ta = a.length ? a.join('\n') + '\n' : '';
        const tb = b.length ? b.join('\n') + '\n' : '';
        const d = unifiedDiff(ta, tb);
        expect(applyUnifiedDiff(ta, d)).to.equal(tb);
        // The edit script is minimal in deletions+insertions only when it is consistent with both sides.
        const ops = diffLines(a, b);
        expect(ops.filter((o) => o.type !== '+').map((o) => o.line)).to.deep.equal(a);
        expect(ops.filter((o) => o.type !== '-').map((o) => o.line)).to.deep.equal(b);
      }),
      {numRuns: 1000},
    );
  });
});
