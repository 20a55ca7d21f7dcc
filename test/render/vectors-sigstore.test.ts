import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadManifests} from '../../src/model/manifests.js';
import {validateState} from '../../src/model/validate.js';
import {renderMco, type RenderOutcome} from '../../src/render/mco.js';
import {ignitionRaw} from '../../src/render/machineconfig.js';
import {McoPanic} from '../../src/render/sigstore.js';
import {lineDiff, readOpt, readVectorCases} from '../support/vectors.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'vectors-sigstore');
const cases = readVectorCases(root);

/** Why `out` does not match one expected/ directory, or undefined when it does. */
function mismatch(out: RenderOutcome, exp: string): string | undefined {
  const panic = readOpt(join(exp, 'panic.txt'));
  if (panic !== undefined) {
    if (!(out.error instanceof McoPanic)) return `MCO panics (${panic.trim()}), we gave ${out.error?.message ?? 'files'}`;
    return out.error.message === panic.trim() ? undefined : `panic text ${out.error.message}`;
  }
  if (out.error instanceof McoPanic) return `unexpected panic ${out.error.detail}`;
  const status = readOpt(join(exp, 'imagepolicy-status.json'));
  if (status !== undefined) {
    const want = (JSON.parse(status) as {imagePolicies: unknown[]}).imagePolicies;
    if (JSON.stringify(out.imagePolicyStatus) !== JSON.stringify(want)) return `ImagePolicy status differs:\n${JSON.stringify(out.imagePolicyStatus, null, 1)}`;
  } else if (out.imagePolicyStatus.length > 0) return 'status for ImagePolicies that do not exist';
  const error = readOpt(join(exp, 'error.txt'));
  if (error !== undefined) {
    if (!out.error) return `MCO refuses (${error.trim()}), we rendered`;
    return out.error.message === error.trim() ? undefined : `error text:\n- ${error.trim()}\n+ ${out.error.message}`;
  }
  if (out.error) return `unexpected error: ${out.error.message}`;
  const files = readFileSync(join(exp, 'files.txt'), 'utf8').split('\n').filter(Boolean);
  const got = out.files.map((f) => f.path);
  if (JSON.stringify(got) !== JSON.stringify(files)) return `files ${JSON.stringify(got)} != ${JSON.stringify(files)}`;
  for (const f of out.files) {
    const want = readFileSync(join(exp, f.path), 'utf8');
    if (want !== f.content) return `${f.path} differs from MCO's bytes:\n${lineDiff(want, f.content)}`;
  }
  const ign = readOpt(join(exp, 'machineconfig.ignition.json'));
  if (ign !== undefined && ignitionRaw(out.files) !== ign) return 'ignition differs';
  const warning = readOpt(join(exp, 'warning.txt'));
  const logged = out.warnings.filter((w) => w.code !== 'order-dependent').map((w) => w.message).join('\n') || undefined;
  if (logged !== warning?.trim()) return `warnings ${logged} != ${warning}`;
  return undefined;
}

describe('golden vectors: signature policies (real MCO output)', () => {
  it('has the cases of the vector set, variants included', () => {
    expect(cases.length).to.be.greaterThan(55);
    expect(cases.filter((c) => c.expectedDirs.length > 1).length).to.be.greaterThan(3);
  });

  for (const c of cases) {
    it(c.name, () => {
      const loaded = loadManifests([{file: 'input.yaml', text: c.input}]);
      expect(loaded.problems, 'manifest problems').to.deep.equal([]);
      const apiProblems = validateState(loaded.state);
      if (c.apiRejected) expect(apiProblems.length, 'the API server rejects this input, so must we').to.be.greaterThan(0);
      else expect(apiProblems.map((p) => `${p.field}: ${p.message}`), 'the API server accepts this input').to.deep.equal([]);

      const out = renderMco(loaded.state);
      const results = c.expectedDirs.map((d) => mismatch(out, d));
      if (!results.includes(undefined)) expect.fail(results.map((r, i) => `${c.expectedDirs[i]!.split('/').slice(-2).join('/')}: ${r}`).join('\n\n'));
      // Deterministic: the same input gives the same bytes every time.
      expect(renderMco(loadManifests([{file: 'input.yaml', text: c.input}]).state)).to.deep.equal(out);
      const orderDependent = out.warnings.some((w) => w.code === 'order-dependent');
      if (c.expectedDirs.length > 1) expect(orderDependent, 'variant outcome must warn that the cluster may flip').to.equal(true);
      if (c.expectedDirs.length === 1) expect(orderDependent, 'strict case must not warn about flipping').to.equal(false);
    });
  }
});
