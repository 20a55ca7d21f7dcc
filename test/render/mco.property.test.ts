import {expect} from 'chai';
import fc from 'fast-check';
import {renderMco, McoError} from '../../src/render/mco.js';
import {emptyState, type ClusterState, type MirrorSet} from '../../src/model/types.js';
import {validateState} from '../../src/model/validate.js';

const label = fc.constantFrom('quay.io', 'reg.io', 'mirror.local', 'a.example.com', 'b.example.com', 'reg.io:5000', '*.example.com');
const path = fc.array(fc.constantFrom('ns', 'repo', 'app', 'x'), {maxLength: 2}).map((p) => (p.length ? '/' + p.join('/') : ''));
const scope = fc.tuple(label, path).map(([h, p]) => (h.startsWith('*') ? h : h + p));
const mirror = fc.tuple(fc.constantFrom('m1.local', 'm2.local', 'mirror.local', 'a.example.com'), path).map(([h, p]) => h + p);
const policy = fc.constantFrom('', 'NeverContactSource', 'AllowContactingSource');
const kind = fc.constantFrom('ImageDigestMirrorSet' as const, 'ImageTagMirrorSet' as const, 'ImageContentSourcePolicy' as const);
const mirrorSet = fc.record({
  kind,
  name: fc.string({minLength: 1, maxLength: 5}),
  rules: fc.array(fc.record({source: scope, mirrors: fc.uniqueArray(mirror, {maxLength: 3}), mirrorSourcePolicy: policy}), {minLength: 1, maxLength: 3}),
}).map((s): MirrorSet => ({...s, rules: s.rules.map((r) => ({...r, mirrorSourcePolicy: s.kind === 'ImageContentSourcePolicy' ? '' : r.mirrorSourcePolicy}))}));
const optList = fc.option(fc.array(scope, {maxLength: 3}), {nil: undefined});

const stateArb = fc.record({sets: fc.array(mirrorSet, {maxLength: 4}), blocked: optList, insecure: optList, allowed: optList, search: optList}).map(
  ({sets, blocked, insecure, allowed, search}): ClusterState => ({
    ...emptyState(),
    hasClusterVersion: true,
    releaseImage: 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'a'.repeat(64),
    image: {name: 'cluster', spec: {registrySources: {blockedRegistries: blocked, insecureRegistries: insecure, allowedRegistries: allowed, containerRuntimeSearchRegistries: search}}},
    mirrorSets: sets,
  }),
);

describe('rendering properties', () => {
  it('any mix of registry lists and mirror sets renders or gives an MCO error, never a crash (1000 runs)', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const out = renderMco(state);
        if (out.error) expect(out.error).to.be.instanceOf(McoError);
        else expect(out.files.every((f) => typeof f.content === 'string')).to.equal(true);
      }),
      {numRuns: 1000},
    );
  });

  it('the output does not depend on the order objects are listed in (1000 runs)', () => {
    fc.assert(
      fc.property(stateArb, fc.infiniteStream(fc.nat()), (state, rnd) => {
        const shuffled = [...state.mirrorSets];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rnd.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const a = renderMco(state);
        const b = renderMco({...state, mirrorSets: shuffled});
        // MCO validates objects in list order, so which conflict is named first may differ; the verdict may not.
        expect(Boolean(b.error)).to.equal(Boolean(a.error));
        if (!a.error) expect(b.files).to.deep.equal(a.files);
      }),
      {numRuns: 1000},
    );
  });

  it('every state the API server accepts and MCO does not refuse yields files MCO would write', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        fc.pre(validateState(state).length === 0);
        const out = renderMco(state);
        fc.pre(!out.error);
        const rs = state.image!.spec.registrySources!;
        const expectsConf = rs.insecureRegistries !== undefined || state.mirrorSets.length > 0 || (rs.blockedRegistries ?? []).length > 0 && out.warnings.length === 0;
        if (expectsConf) expect(out.files.map((f) => f.path)).to.include('/etc/containers/registries.conf');
      }),
      {numRuns: 300},
    );
  });
});
