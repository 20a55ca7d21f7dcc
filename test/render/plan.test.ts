/** plan() and the editors: examples, disruption, the payload rule, and property tests. */
import {expect} from 'chai';
import fc from 'fast-check';
import {editorFor, type CurrentObject, type Intent, type ListName} from '../../src/model/edit.js';
import {plan} from '../../src/render/plan.js';
import {loadManifests} from '../../src/model/manifests.js';
import {validateState} from '../../src/model/validate.js';
import {renderService} from '../../src/services/render.js';

const RELEASE = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;

function obj(body: Record<string, unknown>): CurrentObject {
  const meta = body.metadata as {name: string; namespace?: string};
  return {kind: body.kind as string, name: meta.name, namespace: meta.namespace, body};
}

function cluster(spec: Record<string, unknown> = {}, extra: Array<Record<string, unknown>> = []): CurrentObject[] {
  return [
    obj({apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster', resourceVersion: '7'}, spec, status: {internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000'}}),
    obj({apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}, status: {desired: {image: RELEASE, version: '4.18.3'}}}),
    ...extra.map(obj),
  ];
}

const PAYLOAD_IDMS = {
  apiVersion: 'config.openshift.io/v1',
  kind: 'ImageDigestMirrorSet',
  metadata: {name: 'payload'},
  spec: {
    imageDigestMirrors: [
      {source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['mirror.example.com/ocp/release']},
      {source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: ['mirror.example.com/ocp/release']},
    ],
  },
};

const list = (list: ListName, op: 'add' | 'remove' | 'set', ...values: string[]): Intent => ({type: 'list', list, op, values});
const specOf = (objs: CurrentObject[]) => objs.find((o) => o.kind === 'Image')!.body.spec as Record<string, unknown>;

describe('plan: editing the Image config', () => {
  it('add to the allowlist: object diff, policy.json diff, CRI-O reload on every pool, missing quay.io warned', () => {
    const p = plan(cluster({registrySources: {allowedRegistries: ['registry.redhat.io']}}), editorFor(list('allowed', 'add', 'ghcr.io')));
    expect(p.errors).to.deep.equal([]);
    expect(p.summary).to.deep.equal(['add ghcr.io to allowedRegistries']);
    expect(p.changes).to.have.length(1);
    expect(p.changes[0]!.diff).to.contain('+      - ghcr.io\n');
    expect(p.files.map((f) => f.path)).to.deep.equal(['/etc/containers/policy.json']);
    expect(p.files[0]!.diff).to.contain('+      "ghcr.io": [');
    expect(p.disruption.map((d) => `${d.pool}:${d.level}`)).to.deep.equal(['master:crio-reload', 'worker:crio-reload']);
    expect(p.disruption[0]!.release).to.contain('OpenShift 4.18.3');
    expect(p.warnings.map((w) => w.code)).to.include('allowlist-missing-payload');
    expect(p.warnings.map((w) => w.code)).to.include('allowlist-missing-internal');
  });

  it('--strict turns the warnings into errors', () => {
    const p = plan(cluster({}), editorFor(list('allowed', 'add', 'registry.redhat.io')), {strict: true});
    expect(p.errors.map((e) => e.message).join('\n')).to.contain('quay.io/openshift-release-dev/ocp-release').and.contain('(an error with --strict)');
  });

  it('adding an existing entry or removing an absent one is a no-op', () => {
    const cur = cluster({registrySources: {insecureRegistries: ['a.example.com']}});
    for (const i of [list('insecure', 'add', 'a.example.com'), list('insecure', 'remove', 'b.example.com'), list('insecure', 'set', 'a.example.com')]) {
      const p = plan(cur, editorFor(i));
      expect(p.noop, JSON.stringify(i)).to.equal(true);
      expect(p.errors).to.deep.equal([]);
      expect(p.changes).to.deep.equal([]);
      expect(p.files).to.deep.equal([]);
    }
  });

  it('blocking a scope covering the payload without a digest mirror is refused, with the mirror command', () => {
    const p = plan(cluster({}), editorFor(list('blocked', 'add', 'quay.io')));
    expect(p.errors).to.have.length(1);
    expect(p.errors[0]!.field).to.equal('spec.registrySources.blockedRegistries');
    expect(p.errors[0]!.message).to.contain('MCO would silently drop').and.contain('oc registries mirror add quay.io/openshift-release-dev/ocp-release');
    expect(p.errors[0]!.mco).to.contain('cannot block the repository being used by the payload');
    // Same scope with a digest mirror for the payload: accepted, drains (a registry becomes blocked).
    const ok = plan(cluster({}, [PAYLOAD_IDMS]), editorFor(list('blocked', 'add', 'quay.io')));
    expect(ok.errors).to.deep.equal([]);
    expect(ok.disruption[0]!.level).to.equal('drain');
    expect(ok.warnings.map((w) => w.code)).to.include('blocked-critical');
  });

  it('blocking exactly the payload repository warns that policy.json turns default-reject', () => {
    const p = plan(cluster({}, [PAYLOAD_IDMS]), editorFor(list('blocked', 'add', 'quay.io/openshift-release-dev/ocp-release')));
    expect(p.errors).to.deep.equal([]);
    expect(p.warnings.map((w) => w.code)).to.include('implicit-allowlist');
  });

  it('problems already present in objects the edit does not touch are warnings, not errors', () => {
    const bad = {apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name: 'old'}, spec: {imageDigestMirrors: [{source: 'quay.io/x', mirrors: ['https://bad.example.com/x']}]}};
    const p = plan(cluster({}, [bad]), editorFor(list('insecure', 'add', 'registry.lab.example.com')));
    expect(p.errors).to.deep.equal([]);
    expect(p.warnings.filter((w) => w.code === 'existing-invalid' || w.code === 'mco-refuses').length).to.be.greaterThan(0);
    // ...but the same problem in an object the edit writes is an error.
    const both = plan(cluster({registrySources: {allowedRegistries: ['quay.io'], blockedRegistries: ['docker.io']}}), editorFor(list('insecure', 'add', 'registry.lab.example.com')));
    expect(both.errors.map((e) => e.message).join()).to.contain('only one of blockedRegistries or allowedRegistries');
  });

  it('allowed and blocked both set is refused (API server rule)', () => {
    const p = plan(cluster({registrySources: {allowedRegistries: ['quay.io']}}), editorFor(list('blocked', 'add', 'docker.io')));
    expect(p.errors.map((e) => e.message).join()).to.contain('only one of blockedRegistries or allowedRegistries');
  });

  it('search registries: public registry warned, --position, drain and reboot (no node disruption policy for the drop-in)', () => {
    const cur = cluster({registrySources: {containerRuntimeSearchRegistries: ['a.example.com', 'b.example.com']}});
    const p = plan(cur, editorFor({type: 'list', list: 'search', op: 'add', values: ['docker.io'], position: 1}));
    expect((specOf(p.newObjects).registrySources as Record<string, unknown>).containerRuntimeSearchRegistries).to.deep.equal(['docker.io', 'a.example.com', 'b.example.com']);
    expect(p.warnings.map((w) => w.code)).to.include('search-public-registry');
    expect(p.disruption[0]!.level).to.equal('drain-reboot');
    const moved = plan(cur, editorFor({type: 'list', list: 'search', op: 'add', values: ['b.example.com'], position: 1}));
    expect((specOf(moved.newObjects).registrySources as Record<string, unknown>).containerRuntimeSearchRegistries).to.deep.equal(['b.example.com', 'a.example.com']);
  });

  it('insecure registry: registries.conf gains a registry entry (not drain-free), external insecure warned', () => {
    const p = plan(cluster({}), editorFor(list('insecure', 'add', 'registry.lab.example.com:5000')));
    expect(p.errors).to.deep.equal([]);
    expect(p.files.map((f) => f.path)).to.include('/etc/containers/registries.conf');
    expect(p.disruption[0]!.level).to.equal('drain');
    expect(p.warnings.map((w) => w.code)).to.include('insecure-external');
  });

  it('import add --insecure, then set, then remove', () => {
    let objs = cluster({});
    let p = plan(objs, editorFor({type: 'import', op: 'add', values: ['registry.example.com'], insecure: true}));
    expect(specOf(p.newObjects).allowedRegistriesForImport).to.deep.equal([{domainName: 'registry.example.com', insecure: true}]);
    // Not written to nodes: no file changes, no disruption.
    expect(p.files).to.deep.equal([]);
    expect(p.disruption.every((d) => d.level === 'none')).to.equal(true);
    objs = p.newObjects;
    p = plan(objs, editorFor({type: 'import', op: 'add', values: ['registry.example.com']}));
    expect(specOf(p.newObjects).allowedRegistriesForImport).to.deep.equal([{domainName: 'registry.example.com'}]);
    p = plan(p.newObjects, editorFor({type: 'import', op: 'remove', values: ['registry.example.com']}));
    expect(specOf(p.newObjects)).to.deep.equal({});
  });

  it('trust-ca add creates the ConfigMap and sets additionalTrustedCA.name; certs.d changes without disruption', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const p = plan(cluster({}), editorFor({type: 'trust-ca', op: 'add', host: 'registry.lab.example.com:5000', pem}));
    expect(p.errors).to.deep.equal([]);
    expect(p.changes.map((c) => `${c.action} ${c.kind}`)).to.deep.equal(['create ConfigMap', 'update Image']);
    const cm = p.newObjects.find((o) => o.kind === 'ConfigMap')!;
    expect(cm.namespace).to.equal('openshift-config');
    expect(cm.body.data).to.deep.equal({'registry.lab.example.com..5000': pem});
    expect(specOf(p.newObjects).additionalTrustedCA).to.deep.equal({name: 'registry-cas'});
    expect(p.files.map((f) => f.path)).to.deep.equal(['/etc/docker/certs.d/registry.lab.example.com:5000/ca.crt']);
    expect(p.disruption.every((d) => d.level === 'none')).to.equal(true);
    expect(p.pools).to.deep.equal([]);
    const back = plan(p.newObjects, editorFor({type: 'trust-ca', op: 'remove', host: 'registry.lab.example.com:5000'}));
    expect(back.newObjects.find((o) => o.kind === 'ConfigMap')!.body.data).to.deep.equal({});
    expect(plan(back.newObjects, editorFor({type: 'trust-ca', op: 'remove', host: 'registry.lab.example.com:5000'})).noop).to.equal(true);
  });

  it('bad inputs are errors naming the value, and nothing is planned', () => {
    const bad = ['', 'https://quay.io', 'quay.io/repo:latest', 'quay.io/repo@sha256:' + 'b'.repeat(64), 'régistry.example.com', 'a b', '*.', 'quay.io/UPPER', '*/x'];
    for (const v of bad) {
      const p = plan(cluster({}), editorFor(list('allowed', 'add', v)));
      expect(p.errors.length, v).to.be.greaterThan(0);
      expect(p.changes, v).to.deep.equal([]);
    }
    for (const v of ['quay.io/x', '*.example.com', 'http://x.io']) expect(plan(cluster({}), editorFor(list('search', 'add', v))).errors.length, v).to.be.greaterThan(0);
    const many = Array.from({length: 10_000}, (_, i) => `r${i}.example.com`);
    const p = plan(cluster({}), editorFor(list('allowed', 'set', ...many)));
    expect(p.errors.map((e) => e.message).join()).to.contain('at most 1024');
    expect(p.changes).to.deep.equal([]);
    for (const h of ['https://r.example.com', 'r.example.com/path', '', 'ré.example.com']) {
      expect(plan(cluster({}), editorFor({type: 'trust-ca', op: 'add', host: h, pem: '-----BEGIN CERTIFICATE-----\n'})).errors.length, h).to.be.greaterThan(0);
    }
  });
});

// ---------- property tests ----------

const VALID = ['quay.io', 'registry.redhat.io', 'docker.io', 'ghcr.io/org/app', 'example.com:5000', '*.example.org', 'mirror.local/ocp', 'image-registry.openshift-image-registry.svc:5000', 'registry.lab.example.com', 'quay.io/openshift-release-dev/ocp-release'];
const HOSTS = ['quay.io', 'registry.redhat.io', 'docker.io', 'example.com:5000', 'registry.lab.example.com', 'mirror.local'];
const INVALID = ['', 'https://quay.io', 'a/b:tag', 'x@sha256:abc', 'é.io', ' ', '*.', 'A/B'];

const valueArb = fc.oneof({weight: 8, arbitrary: fc.constantFrom(...VALID)}, {weight: 1, arbitrary: fc.constantFrom(...INVALID)}, {weight: 1, arbitrary: fc.string({maxLength: 12})});
const intentArb: fc.Arbitrary<Intent> = fc.oneof(
  fc.record({type: fc.constant('list' as const), list: fc.constantFrom<ListName>('allowed', 'blocked', 'insecure', 'search'), op: fc.constantFrom('add' as const, 'remove' as const, 'set' as const), values: fc.array(valueArb, {maxLength: 4}), position: fc.option(fc.integer({min: 1, max: 5}), {nil: undefined})}),
  fc.record({type: fc.constant('import' as const), op: fc.constantFrom('add' as const, 'remove' as const, 'set' as const), values: fc.array(fc.oneof(fc.constantFrom(...HOSTS), fc.constantFrom(...INVALID)), {maxLength: 3}), insecure: fc.boolean()}),
);

function accepted(objs: CurrentObject[]): void {
  const loaded = loadManifests([{file: 'prop', objects: objs.map((o) => o.body)}]);
  expect(loaded.problems).to.deep.equal([]);
  expect(validateState(loaded.state)).to.deep.equal([]);
  // Every accepted spec renders: the render service throws on anything MCO or the API server refuses.
  renderService(loaded, {warn: () => undefined});
}

describe('plan: properties', () => {
  it('random edit sequences never yield an object that validation rejects, and every accepted spec renders (1000 runs)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(intentArb, {minLength: 1, maxLength: 6}), (withMirror, intents) => {
        let objs = cluster({}, withMirror ? [PAYLOAD_IDMS] : []);
        for (const intent of intents) {
          const p = plan(objs, editorFor(intent));
          if (p.errors.length > 0) {
            expect(p.errors.every((e) => typeof e.field === 'string' && e.message.length > 0)).to.equal(true);
            continue;
          }
          objs = p.newObjects;
          accepted(objs);
        }
      }),
      {numRuns: 1000},
    );
  });

  const uniq = (a: string[]) => [...new Set(a)];
  const specArb = fc
    .record({
      which: fc.constantFrom('allowed', 'blocked', 'none'),
      lists: fc.record({a: fc.subarray(VALID.filter((v) => !v.startsWith('quay.io') && v !== 'registry.redhat.io')), i: fc.subarray(VALID), s: fc.subarray(HOSTS)}),
      imports: fc.subarray(HOSTS),
    })
    .map(({which, lists, imports}) => {
      const rs: Record<string, string[]> = {};
      if (which === 'allowed' && lists.a.length) rs.allowedRegistries = uniq(lists.a);
      if (which === 'blocked' && lists.a.length) rs.blockedRegistries = uniq(lists.a);
      if (lists.i.length) rs.insecureRegistries = uniq(lists.i);
      if (lists.s.length) rs.containerRuntimeSearchRegistries = uniq(lists.s);
      const spec: Record<string, unknown> = {};
      if (Object.keys(rs).length) spec.registrySources = rs;
      if (imports.length) spec.allowedRegistriesForImport = imports.map((d) => ({domainName: d}));
      return spec;
    });

  it('remove(add(x)) restores the original object (1000 runs)', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom<ListName | 'import'>('allowed', 'blocked', 'insecure', 'search', 'import'), fc.constantFrom(...VALID), fc.boolean(), (spec, target, x, insecure) => {
        const objs = cluster(structuredClone(spec), [PAYLOAD_IDMS]);
        const host = x.split('/')[0]!.replace(/^\*\./, '');
        const value = target === 'search' || target === 'import' ? host : x;
        const addI: Intent = target === 'import' ? {type: 'import', op: 'add', values: [value], insecure} : list(target, 'add', value);
        const rs = (spec.registrySources ?? {}) as Record<string, string[]>;
        const existing = target === 'import' ? ((spec.allowedRegistriesForImport ?? []) as Array<{domainName: string}>).map((l) => l.domainName) : (rs[{allowed: 'allowedRegistries', blocked: 'blockedRegistries', insecure: 'insecureRegistries', search: 'containerRuntimeSearchRegistries'}[target]] ?? []);
        fc.pre(!existing.includes(value));
        const added = plan(objs, editorFor(addI));
        fc.pre(added.errors.length === 0);
        expect(added.noop).to.equal(false);
        const removeI: Intent = target === 'import' ? {type: 'import', op: 'remove', values: [value]} : list(target, 'remove', value);
        const removed = plan(added.newObjects, editorFor(removeI));
        expect(removed.errors).to.deep.equal([]);
        expect(removed.newObjects.map((o) => o.body)).to.deep.equal(objs.map((o) => o.body));
        // The node files are back where they were, too.
        expect(removed.renderedAfter).to.deep.equal(added.renderedBefore);
      }),
      {numRuns: 1000},
    );
  });
});
