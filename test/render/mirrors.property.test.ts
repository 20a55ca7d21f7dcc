/**
 * Property: any set of IDMS/ITMS (and ICSP) objects either renders or gives a
 * validation error (API-server problem or MCO refusal), never a crash; and what
 * is rendered does not depend on the order the objects are listed in (MCO's
 * informer order is random).
 */
import {expect} from 'chai';
import fc from 'fast-check';
import {McoError, renderMco} from '../../src/render/mco.js';
import {validateMirrorSets} from '../../src/model/validate.js';
import {mirrorEditor} from '../../src/render/mirror-editor.js';
import {mirrorSetObject} from '../../src/model/mirrors.js';
import {plan} from '../../src/render/plan.js';
import {emptyState, type ClusterState, type MirrorSet, type MirrorSetKind} from '../../src/model/types.js';

const SOURCES = ['reg.io', 'reg.io/a', 'reg.io/a/b', 'reg.io/ab', 'other.io:5000/x', '*.wild.io', 'x.wild.io/app', 'quay.io/openshift-release-dev/ocp-release', 'Bad Source', 'reg.io/a:tag'];
const MIRRORS = ['m1.io/a', 'm2.io/a', 'm3.io/a/b', 'reg.io/a', 'reg.io', 'x.wild.io/m', 'm1.io', 'bad mirror', 'm4.io:5000/z'];
const POLICIES = ['', 'NeverContactSource', 'AllowContactingSource'];
const KINDS: MirrorSetKind[] = ['ImageDigestMirrorSet', 'ImageTagMirrorSet', 'ImageContentSourcePolicy'];

const rule = fc.record({
  source: fc.constantFrom(...SOURCES),
  mirrors: fc.uniqueArray(fc.constantFrom(...MIRRORS), {maxLength: 4}),
  mirrorSourcePolicy: fc.constantFrom(...POLICIES),
});
const set = fc.record({kind: fc.constantFrom(...KINDS), rules: fc.array(rule, {maxLength: 4})});
const input = fc.record({
  sets: fc.array(set, {maxLength: 5}),
  insecure: fc.option(fc.uniqueArray(fc.constantFrom('reg.io/a', 'm2.io', '*.wild.io', 'other.io:5000'), {maxLength: 2}), {nil: undefined}),
  blocked: fc.option(fc.uniqueArray(fc.constantFrom('reg.io/ab', 'm1.io', 'quay.io', 'x.wild.io'), {maxLength: 2}), {nil: undefined}),
});

function stateOf(i: {sets: Array<{kind: MirrorSetKind; rules: MirrorSet['rules']}>; insecure?: string[]; blocked?: string[]}, order: number[]): ClusterState {
  const sets: MirrorSet[] = i.sets.map((s, n) => ({kind: s.kind, name: `obj-${n}`, rules: s.rules.map((r) => ({...r, mirrorSourcePolicy: s.kind === 'ImageContentSourcePolicy' ? '' : r.mirrorSourcePolicy}))}));
  return {
    ...emptyState(),
    image: {name: 'cluster', spec: {registrySources: {insecureRegistries: i.insecure, blockedRegistries: i.blocked}}},
    releaseImage: `quay.io/openshift-release-dev/ocp-release@sha256:${'2'.repeat(64)}`,
    hasClusterVersion: true,
    mirrorSets: order.map((k) => sets[k]!),
  };
}

function outcome(st: ClusterState): {kind: 'api-invalid' | 'mco-error' | 'files'; files?: string} {
  if (validateMirrorSets(st).length > 0) return {kind: 'api-invalid'};
  const out = renderMco(st);
  if (out.error) {
    expect(out.error).to.be.instanceOf(McoError);
    return {kind: 'mco-error'};
  }
  return {kind: 'files', files: JSON.stringify(out.files)};
}

describe('property: mirror sets render or fail validation, in any order', () => {
  it('never crashes and renders the same bytes for every order of the objects (1000 runs)', () => {
    const seen = {files: 0, 'api-invalid': 0, 'mco-error': 0};
    fc.assert(
      fc.property(
        input.chain((i) => fc.tuple(fc.constant(i), fc.shuffledSubarray([...i.sets.keys()], {minLength: i.sets.length, maxLength: i.sets.length}))),
        ([i, perm]) => {
          const a = outcome(stateOf(i, [...i.sets.keys()]));
          const b = outcome(stateOf(i, perm));
          seen[a.kind]++;
          expect(b.kind).to.equal(a.kind);
          if (a.kind === 'files') expect(b.files).to.equal(a.files);
        },
      ),
      {numRuns: 1000},
    );
    // The generator must reach all three outcomes, or the property says little.
    expect(seen.files).to.be.greaterThan(100);
    expect(seen['api-invalid']).to.be.greaterThan(50);
    expect(seen['mco-error']).to.be.greaterThan(10);
  });

  it('mirror add through the shared plan either plans or reports problems, never crashes (1000 runs)', () => {
    let planned = 0;
    fc.assert(
      fc.property(input, fc.constantFrom(...SOURCES), fc.uniqueArray(fc.constantFrom(...MIRRORS), {maxLength: 3}), fc.constantFrom(...KINDS), fc.boolean(), (i, source, mirrors, kind, never) => {
        const st = stateOf(i, [...i.sets.keys()]);
        const current = [
          {kind: 'Image', name: 'cluster', body: {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: st.image!.spec}},
          {kind: 'ClusterVersion', name: 'version', body: {apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}, status: {desired: {image: st.releaseImage}}}},
          ...st.mirrorSets.map((s) => ({kind: s.kind, name: s.name, body: mirrorSetObject(s)})),
        ];
        const p = plan(current, mirrorEditor({op: 'add', source, mirrors, kind, neverContactSource: never && kind !== 'ImageContentSourcePolicy'}));
        if (p.errors.length === 0) {
          planned++;
          expect(p.renderedAfter.map((f) => f.path)).to.include('/etc/containers/registries.conf');
          if (!p.noop) expect(p.changes.length).to.be.greaterThan(0);
        }
      }),
      {numRuns: 1000},
    );
    expect(planned).to.be.greaterThan(50);
  });
});
