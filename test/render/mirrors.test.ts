import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {goQuote} from '../../src/lib/errors.js';
import {loadManifests} from '../../src/model/manifests.js';
import {addMirrors} from '../../src/model/mirrors.js';
import {refName, parseNamed} from '../../src/model/reference.js';
import {emptyState, type ClusterState, type MirrorSet} from '../../src/model/types.js';
import {renderMco} from '../../src/render/mco.js';
import {effectiveMirrors, payloadBlockRefusal} from '../../src/render/mirrors.js';
import {equivalenceOf} from '../../src/render/migrate-editor.js';
import {plan} from '../../src/render/plan.js';
import {mirrorSetObject} from '../../src/model/mirrors.js';
import {REGISTRIES_CONF_PATH} from '../../src/model/node-files.js';
import {lineDiff, readOpt, readVectorCases} from '../support/vectors.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'vectors');
const cases = readVectorCases(root);

/** Rebuild a vector's mirror sets with `mirror add`, one rule at a time, into objects of the same names. */
function rebuild(state: ClusterState): {state?: ClusterState; problems: string[]; refused?: string[]; skipped?: string} {
  let cur: ClusterState = {...state, mirrorSets: []};
  for (const set of state.mirrorSets) {
    const sources = set.rules.map((r) => r.source);
    if (new Set(sources).size !== sources.length) return {problems: [], skipped: 'a source twice in one object'};
    for (const r of set.rules) {
      const e = addMirrors(cur, {source: r.source, mirrors: r.mirrors, kind: set.kind, name: set.name, neverContactSource: r.mirrorSourcePolicy === 'NeverContactSource'});
      const own = e.problems.filter((p) => /^(SOURCE|MIRROR)/.test(p.field));
      if (own.length > 0) return {problems: [], refused: own.map((p) => `${p.field}: ${p.message}`)};
      if (e.problems.length > 0) return {problems: e.problems.map((p) => p.message)};
      cur = {...cur, mirrorSets: e.sets};
    }
  }
  return {state: cur, problems: []};
}

describe('mirror add reproduces the golden vectors (merged order across objects)', () => {
  let checked = 0;
  for (const c of cases) {
    const loaded = loadManifests([{file: 'input.yaml', text: c.input}]);
    if (loaded.state.mirrorSets.length === 0 || !loaded.state.image) continue;
    const pre = rebuild(loaded.state);
    // One object listing a source twice cannot be built by `mirror add`, which merges into the existing rule.
    if (pre.skipped) continue;
    if (pre.refused) {
      // Inputs mirror add must not create (a mirror equal to its source, wildcard or digest mirrors, no mirrors,
      // a unicode source): the command refuses them, naming the source or mirror argument.
      it(`${c.name}: refused by mirror add`, () => {
        expect(pre.refused!.length).to.be.greaterThan(0);
        expect(pre.refused!.every((m) => /^(SOURCE|MIRROR)/.test(m))).to.equal(true);
      });
      continue;
    }
    it(c.name, function () {
      const r = pre;
      const exp = c.expectedDirs[0]!;
      const error = readOpt(join(exp, 'error.txt'));
      if (r.problems.length > 0) {
        expect(error, `mirror add refused: ${r.problems.join('; ')}`).to.match(/conflicting mirrorSourcePolicy/);
        return;
      }
      const out = renderMco(r.state!);
      if (error !== undefined) {
        expect(out.error?.message).to.equal(error.trim());
        return;
      }
      const want = readOpt(join(exp, REGISTRIES_CONF_PATH));
      const got = out.files.find((f) => f.path === REGISTRIES_CONF_PATH)?.content;
      if (want !== got) expect.fail(`registries.conf differs from MCO's bytes:\n${lineDiff(want ?? '', got ?? '')}`);
      checked++;
    });
  }
  after(() => expect(checked).to.be.greaterThan(20));
});

/** An oracle written apart from the scope code: a repository is covered by itself, a parent path, or a `*.domain` of its host. */
function coversByText(repo: string, scope: string): boolean {
  if (scope.startsWith('*.')) return repo.split('/')[0]!.replace(/:\d+$/, '').endsWith(scope.slice(1));
  return repo === scope || repo.startsWith(`${scope}/`);
}

describe('payloadBlockRefusal agrees with MCO on every blocked-registries vector', () => {
  for (const c of cases) {
    const loaded = loadManifests([{file: 'input.yaml', text: c.input}]);
    const blocked = loaded.state.image?.spec.registrySources?.blockedRegistries ?? [];
    // Inputs the API server rejects (allowed and blocked together) never reach MCO.
    if (blocked.length === 0 || !loaded.state.releaseImage || c.apiRejected) continue;
    const exp = c.expectedDirs[0]!;
    const error = readOpt(join(exp, 'error.txt'));
    if (error !== undefined && !/only one of AllowedRegistries/.test(error)) continue;
    let payload: string;
    try {
      payload = refName(parseNamed(loaded.state.releaseImage));
    } catch {
      continue;
    }
    const warning = readOpt(join(exp, 'warning.txt')) ?? '';
    it(c.name, () => {
      for (const scope of blocked) {
        const others = blocked.filter((b) => b !== scope);
        const st: ClusterState = {...loaded.state, image: {...loaded.state.image!, spec: {registrySources: {...loaded.state.image!.spec.registrySources, blockedRegistries: others}}}};
        const check = payloadBlockRefusal(st, scope);
        expect(check.coversPayload, scope).to.equal(coversByText(payload, scope));
        const mcoRefuses = warning.includes(goQuote(scope)) || (error !== undefined && check.coversPayload);
        expect(check.refused, `${scope}: ${check.reason ?? 'accepted'}`).to.equal(mcoRefuses);
        if (check.refused && !error) expect(check.command).to.match(new RegExp(`^oc registries mirror add ${payload.replace(/\./g, '\\.')} \\S+$`));
      }
    });
  }
});

describe('payloadBlockRefusal: the seed 9.2.2.1 scenario', () => {
  const release = `quay.io/openshift-payload/release@sha256:${'1'.repeat(64)}`;
  const base = (sets: MirrorSet[]): ClusterState => ({...emptyState(), image: {name: 'cluster', spec: {}}, releaseImage: release, mirrorSets: sets});
  it('refuses blocking the payload repository without a digest mirror, with the mirror add to run', () => {
    const c = payloadBlockRefusal(base([]), 'quay.io/openshift-payload');
    expect(c).to.include({refused: true, coversPayload: true, payloadRepo: 'quay.io/openshift-payload/release'});
    expect(c.reason).to.contain('has no digest mirror');
    expect(c.command).to.equal('oc registries mirror add quay.io/openshift-payload/release MIRROR_REGISTRY/openshift-payload/release');
  });
  it('suggests the mirror registry the cluster already uses', () => {
    const c = payloadBlockRefusal(base([{kind: 'ImageDigestMirrorSet', name: 'x', rules: [{source: 'registry.redhat.io/ubi9', mirrors: ['mirror.corp:5000/ubi9'], mirrorSourcePolicy: ''}]}]), 'quay.io/openshift-payload');
    expect(c.command).to.equal('oc registries mirror add quay.io/openshift-payload/release mirror.corp:5000/openshift-payload/release');
  });
  it('explains that tag mirrors do not count', () => {
    const c = payloadBlockRefusal(base([{kind: 'ImageTagMirrorSet', name: 't', rules: [{source: 'quay.io/openshift-payload/release', mirrors: ['m.corp/release'], mirrorSourcePolicy: ''}]}]), 'quay.io');
    expect(c.refused).to.equal(true);
    expect(c.reason).to.contain('only tag mirrors');
  });
  it('explains a mirror that is itself blocked', () => {
    const c = payloadBlockRefusal(base([{kind: 'ImageDigestMirrorSet', name: 'd', rules: [{source: 'quay.io/openshift-payload/release', mirrors: ['quay.io/mirror/release'], mirrorSourcePolicy: ''}]}]), 'quay.io');
    expect(c.refused).to.equal(true);
    expect(c.mirrors).to.deep.equal([{location: 'quay.io/mirror/release', blockedBy: 'quay.io'}]);
  });
  it('accepts it once a digest mirror exists and the rendered registries.conf blocks the source with its mirrors', () => {
    const sets: MirrorSet[] = [{kind: 'ImageDigestMirrorSet', name: 'payload', rules: [{source: 'quay.io/openshift-payload/release', mirrors: ['mirror.corp:5000/release'], mirrorSourcePolicy: ''}]}];
    const st = base(sets);
    const c = payloadBlockRefusal(st, 'quay.io/openshift-payload');
    expect(c.refused).to.equal(false);
    const out = renderMco({...st, image: {name: 'cluster', spec: {registrySources: {blockedRegistries: ['quay.io/openshift-payload']}}}});
    const conf = out.files.find((f) => f.path === REGISTRIES_CONF_PATH)!.content;
    expect(conf).to.contain('location = "quay.io/openshift-payload/release"\n  blocked = true\n\n  [[registry.mirror]]\n    location = "mirror.corp:5000/release"');
  });
  it('notes the allowlist flip when exactly the payload repository is blocked', () => {
    const sets: MirrorSet[] = [{kind: 'ImageDigestMirrorSet', name: 'payload', rules: [{source: 'quay.io/openshift-payload/release', mirrors: ['mirror.corp:5000/release'], mirrorSourcePolicy: ''}]}];
    const c = payloadBlockRefusal(base(sets), 'quay.io/openshift-payload/release');
    expect(c.refused).to.equal(false);
    expect(c.notes[0]).to.contain('allow list');
  });
  it('does not concern scopes that do not cover the payload', () => {
    expect(payloadBlockRefusal(base([]), 'docker.io')).to.include({refused: false, coversPayload: false});
  });
});

describe('equivalence proof and effective mirrors', () => {
  it('lists the difference when two states render differently', () => {
    const set = (kind: MirrorSet['kind']): MirrorSet => ({kind, name: 'a', rules: [{source: 'a.io/x', mirrors: ['m.io/x'], mirrorSourcePolicy: ''}]});
    const image = {apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec: {}};
    const current = [image, mirrorSetObject(set('ImageDigestMirrorSet'))].map((body) => ({kind: body.kind as string, name: 'cluster', body: body as Record<string, unknown>}));
    current[1]!.name = 'a';
    // Replace the IDMS by an ITMS with the same rules: digest-only mirrors become tag-only.
    const p = equivalenceOf(plan(current, () => ({changes: [{kind: 'ImageDigestMirrorSet', name: 'a', after: undefined}, {kind: 'ImageTagMirrorSet', name: 'a', after: mirrorSetObject(set('ImageTagMirrorSet'))}], problems: [], summary: []})));
    expect(p.identical).to.equal(false);
    expect(p.differences.map((d) => d.path)).to.deep.equal([REGISTRIES_CONF_PATH]);
    expect(p.differences[0]!.diff).to.contain('-    pull-from-mirror = "digest-only"\n+    pull-from-mirror = "tag-only"');
  });
  it('merged pull order matches the vector icsp-and-idms-unordered-merge (a, z, b, y)', () => {
    const c = cases.find((x) => x.name === 'icsp-and-idms-unordered-merge')!;
    const loaded = loadManifests([{file: 'input.yaml', text: c.input}]);
    const conf = readFileSync(join(c.expectedDirs[0]!, REGISTRIES_CONF_PATH), 'utf8');
    const fromFile = [...conf.matchAll(/\[\[registry\.mirror\]\]\n\s+location = "([^"]+)"/g)].map((m) => m[1]);
    expect(effectiveMirrors(loaded.state.mirrorSets).flatMap((e) => e.mirrors.map((m) => m.location))).to.deep.equal(fromFile);
  });
});
