import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadManifests} from '../../src/model/manifests.js';
import {validateState} from '../../src/model/validate.js';
import {renderMco} from '../../src/render/mco.js';
import {ignitionRaw, machineConfigYaml} from '../../src/render/machineconfig.js';
import {lineDiff, readOpt, readVectorCases} from '../support/vectors.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'vectors');
const cases = readVectorCases(root);

/** The inner text of an MCO error, without the controller's wrapping. */
function innerText(s: string): string {
  return s.trim().replace(/^could not Create\/Update MachineConfig: /, '').replace(/^could not update (registries config|policy json) with new changes: /, '');
}

describe('golden vectors (real MCO output)', () => {
  it('has the cases of the vector set', () => {
    expect(cases.length).to.be.greaterThan(70);
  });

  for (const c of cases) {
    it(c.name, () => {
      const loaded = loadManifests([{file: 'input.yaml', text: c.input}]);
      expect(loaded.problems, 'manifest problems').to.deep.equal([]);
      const apiProblems = validateState(loaded.state);
      if (c.apiRejected) expect(apiProblems, 'the API server rejects this input, so must we').to.not.be.empty;
      else expect(apiProblems.map((p) => `${p.field}: ${p.message}`), 'the API server accepts this input').to.deep.equal([]);

      const out = renderMco(loaded.state);
      const exp = c.expectedDirs[0]!;
      const error = readOpt(join(exp, 'error.txt'));
      if (error !== undefined) {
        expect(out.error, `MCO refuses: ${error}`).to.not.equal(undefined);
        expect(out.error!.message).to.equal(error.trim());
        expect(innerText(out.error!.message)).to.equal(innerText(error));
        return;
      }
      expect(out.error?.message).to.equal(undefined);
      const files = readFileSync(join(exp, 'files.txt'), 'utf8').split('\n').filter(Boolean);
      expect(out.files.map((f) => f.path)).to.deep.equal(files);
      for (const f of out.files) {
        const want = readFileSync(join(exp, f.path), 'utf8');
        if (want !== f.content) expect.fail(`${f.path} differs from MCO's bytes:\n${lineDiff(want, f.content)}`);
      }
      const ign = readOpt(join(exp, 'machineconfig.ignition.json'));
      if (ign !== undefined) expect(ignitionRaw(out.files)).to.equal(ign);
      expect(out.machineConfig).to.equal(c.name !== 'no-image-cr');
      const warning = readOpt(join(exp, 'warning.txt'));
      expect(out.warnings.map((w) => w.message).join('\n') || undefined).to.equal(warning?.trim());
    });
  }
});

describe('MachineConfig YAML', () => {
  for (const c of cases.filter((x) => readOpt(join(x.expectedDirs[0]!, 'machineconfig.yaml')) !== undefined)) {
    it(`has MCO's shape for ${c.name}`, () => {
      const want = readFileSync(join(c.expectedDirs[0]!, 'machineconfig.yaml'), 'utf8');
      const version = /generated-by-controller-version: (\S+)/.exec(want)?.[1];
      const out = renderMco(loadManifests([{file: 'input.yaml', text: c.input}]).state);
      expect(machineConfigYaml('worker', out.files, {controllerVersion: version})).to.equal(want);
    });
  }
});
