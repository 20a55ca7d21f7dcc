// Rendering rules the vector set does not show (several named in its FINDINGS.md),
// as condition-named cases with expectations derived by hand from MCO's code.
import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadManifests} from '../../src/model/manifests.js';
import {validateState} from '../../src/model/validate.js';
import {renderMco} from '../../src/render/mco.js';
import {lineDiff, readOpt, readVectorCases} from '../support/vectors.js';

const cases = readVectorCases(join(import.meta.dirname, '..', 'fixtures', 'render'));

describe('rendering conditions beyond the vectors', () => {
  it('has its cases', () => expect(cases.length).to.be.greaterThan(5));
  for (const c of cases) {
    it(c.name, () => {
      const {state, problems} = loadManifests([{file: 'input.yaml', text: c.input}]);
      expect(problems).to.deep.equal([]);
      expect(validateState(state)).to.deep.equal([]);
      const out = renderMco(state);
      const exp = c.expectedDirs[0]!;
      const error = readOpt(join(exp, 'error.txt'));
      if (error !== undefined) {
        expect(out.error?.message).to.equal(error.trim());
        return;
      }
      expect(out.error?.message).to.equal(undefined);
      expect(out.files.map((f) => f.path)).to.deep.equal(readFileSync(join(exp, 'files.txt'), 'utf8').split('\n').filter(Boolean));
      for (const f of out.files) {
        const want = readFileSync(join(exp, f.path), 'utf8');
        if (want !== f.content) expect.fail(`${f.path}:\n${lineDiff(want, f.content)}`);
      }
      expect(out.warnings.map((w) => w.message).join('\n') || undefined).to.equal(readOpt(join(exp, 'warning.txt'))?.trim());
    });
  }
});
