/** Item 10: hostile manifests are bounded before anything else runs, prototype keys are unknown fields, quoted values are short. */
import {expect} from 'chai';
import fc from 'fast-check';
import {formatProblem} from '../../src/lib/errors.js';
import {loadManifests} from '../../src/model/manifests.js';
import {evaluate} from '../../src/render/evaluate.js';
import {anyManifest, outcomeOf} from '../support/manifest-fuzz.js';

const hdr = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\n';

function aliasBomb(): string {
  const lines = ['  a0: &a0 ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) lines.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  return `${hdr}x:\n${lines.join('\n')}\nspec:\n  registrySources:\n    blockedRegistries: *a9\n`;
}

/** Load and evaluate; the problems (file:line each), and how long it took. */
function run(text: string): {problems: string[]; ms: number} {
  const t0 = performance.now();
  const loaded = loadManifests([{file: 'hostile.yaml', text}]);
  const problems = loaded.problems.length > 0 ? loaded.problems : evaluate(loaded).errors;
  return {problems: problems.map(formatProblem), ms: performance.now() - t0};
}

describe('hostile manifests', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a 600-byte alias bomb', aliasBomb, /alias/],
    ['20,000 unbalanced [', () => `${hdr}spec: ${'['.repeat(20_000)}\n`, /deeper than 100/],
    ['a recursive alias (mapping)', () => `${hdr}spec: &r\n  x: *r\n`, /recursive alias/],
    ['a recursive alias (list)', () => `${hdr}spec:\n  registrySources:\n    blockedRegistries: &r [*r]\n`, /recursive alias/],
    ['a 4 MB string', () => `${hdr}spec:\n  x: "${'a'.repeat(4 * 1024 * 1024)}"\n`, /4\.0 MiB/],
    ['20,000 documents', () => '---\na: 1\n'.repeat(20_000), /documents/],
  ];
  for (const [name, make, why] of cases) {
    it(`${name}: one line, exit 2 (a validation problem), in well under a second`, () => {
      const text = make();
      if (name.startsWith('a 600')) expect(text.length).to.be.below(700);
      const r = run(text);
      expect(r.problems, r.problems.join('\n')).to.have.length(1);
      expect(r.problems[0]).to.match(/^hostile\.yaml:\d+: /);
      expect(r.problems[0]).to.match(why);
      expect(r.problems[0]!.split('\n')).to.have.length(1);
      expect(r.problems[0]!.length).to.be.below(400);
      expect(r.ms, `${r.ms.toFixed(0)} ms`).to.be.below(500);
      // Nothing else runs on a refused file: no guess such as "no Image object in the input".
      expect(evaluate(loadManifests([{file: 'hostile.yaml', text}])).warnings.map((w) => w.code)).to.not.include('no-image-config');
    });
  }

  it('constructor, __proto__, toString, valueOf, hasOwnProperty are unknown fields (and unknown kinds), never schema entries', () => {
    const text = `${hdr}spec:\n  constructor: 1\n  __proto__: {a: 1}\n  registrySources:\n    toString: x\n    valueOf: [1]\n    hasOwnProperty: 2\n`;
    const {problems} = loadManifests([{file: 'p.yaml', text}]);
    expect(problems.map((p) => p.field).sort()).to.deep.equal(['spec.__proto__', 'spec.constructor', 'spec.registrySources.hasOwnProperty', 'spec.registrySources.toString', 'spec.registrySources.valueOf']);
    for (const p of problems) expect(p.message).to.match(/^unknown field/);
    for (const kind of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
      const r = loadManifests([{file: 'k.yaml', text: `apiVersion: config.openshift.io/v1\nkind: ${kind}\nmetadata:\n  name: x\n`}]);
      expect(r.problems.map(formatProblem).join('\n')).to.not.match(/native code|function/);
      expect(r.objects).to.have.length(0);
    }
  });

  it('an error message quotes at most ~200 characters of a value', () => {
    const long = `reg.io/${'a'.repeat(5000)}`;
    const ev = evaluate(loadManifests([{file: 'l.yaml', text: `${hdr}spec:\n  registrySources:\n    blockedRegistries: ["${long}"]\n`}]));
    const line = ev.errors.map(formatProblem).find((l) => l.includes('blockedRegistries[0]'));
    expect(line, 'a problem about the long scope').to.be.a('string');
    expect(line!.length).to.be.below(500);
    expect(line).to.include('5007 characters');
  });

  it('fuzz: any manifest text ends ok or as a validation error, never a crash (bounded runs)', () => {
    const counts = {ok: 0, validation: 0, other: 0, crash: 0};
    fc.assert(
      fc.property(anyManifest, (text) => {
        const r = outcomeOf(text);
        counts[r.outcome]++;
        if (r.outcome === 'crash') throw r.error;
      }),
      {numRuns: 400, seed: 12},
    );
    expect(counts.ok + counts.validation).to.equal(400);
    expect(counts.ok, JSON.stringify(counts)).to.be.above(0);
  });
});
