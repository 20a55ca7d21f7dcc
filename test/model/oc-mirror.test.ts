/** oc-mirror output (v1 results, v2 cluster-resources) read as it is, and `mirror apply`'s editor semantics. */
import {expect} from 'chai';
import {join} from 'node:path';
import {readOcMirrorDir} from '../../src/cluster/oc-mirror-files.js';
import {readManifests} from '../../src/cluster/manifest-files.js';
import type {CurrentObject} from '../../src/model/edit.js';
import {loadManifests} from '../../src/model/manifests.js';
import {interpretOcMirror, lostEntries, ocMirrorEditor, podsLosingMirrors, replacedIcsps} from '../../src/model/oc-mirror.js';
import {plan} from '../../src/render/plan.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'oc-mirror');
const CLUSTER = join(import.meta.dirname, '..', '..', 'examples', 'oc-mirror-v2', 'cluster');

async function read(dir: string) {
  const raw = await readOcMirrorDir(join(FIX, dir));
  return {raw, out: interpretOcMirror(raw.files)};
}

async function gitops(): Promise<CurrentObject[]> {
  const loaded = loadManifests(await readManifests([CLUSTER]));
  expect(loaded.problems).to.deep.equal([]);
  return loaded.objects.map((o) => ({kind: o.kind, name: o.name, namespace: o.namespace, body: o.body, source: `${o.file}:${o.line}`, file: o.file, doc: o.doc}));
}

const setsOf = (objects: CurrentObject[]) => loadManifests([{file: 'x', objects: objects.map((o) => o.body)}]).state.mirrorSets;

describe('oc-mirror output as it is', () => {
  it('v2 working-dir: finds cluster-resources, reads the signature ConfigMap once (JSON twin noted), sorts the kinds', async () => {
    const {raw, out} = await read('v2-full-set-replaces-earlier/working-dir');
    expect(raw.dir.endsWith(join('working-dir', 'cluster-resources'))).to.equal(true);
    expect(out.layout).to.equal('oc-mirror v2 cluster-resources');
    expect(out.problems).to.deep.equal([]);
    expect(out.mirrorSets.map((o) => `${o.kind}/${o.name}`)).to.deep.equal(['ImageDigestMirrorSet/idms-release-0', 'ImageDigestMirrorSet/idms-operator-0', 'ImageTagMirrorSet/itms-operator-0']);
    expect(out.signatures.map((o) => `${o.namespace}/${o.name}`)).to.deep.equal(['openshift-config-managed/mirrored-release-signatures']);
    expect(out.passThrough.map((o) => o.kind).sort()).to.deep.equal(['CatalogSource', 'ClusterCatalog', 'UpdateService']);
    expect(out.notes.join('\n')).to.contain('signature-configmap.json: the same ConfigMap as signature-configmap.yaml');
  });

  it('v2 with only the JSON signature ConfigMap: JSON files are manifests too', async () => {
    const {out} = await read('v2-signature-json-only');
    expect(out.problems).to.deep.equal([]);
    expect(out.signatures.map((o) => o.name)).to.deep.equal(['mirrored-release-signatures']);
    expect(Object.keys(out.signatures[0]!.body.binaryData as object)[0]).to.match(/^sha256-[0-9a-f]{64}-1$/);
  });

  it('v1 oc-mirror-workspace: the newest results-* folder, ICSPs, catalog, release-signatures JSON, mapping.txt noted, charts skipped', async () => {
    const {raw, out} = await read('v1-workspace-newest-results/oc-mirror-workspace');
    expect(raw.dir.endsWith('results-1764584400')).to.equal(true);
    expect(raw.notes[0]).to.contain('the newest of 2 oc-mirror v1 results folder(s)');
    expect(out.layout).to.equal('oc-mirror v1 results');
    expect(out.mirrorSets.map((o) => `${o.kind}/${o.name}`)).to.deep.equal(['ImageContentSourcePolicy/operator-0', 'ImageContentSourcePolicy/release-0']);
    expect(out.signatures.map((o) => `${o.namespace}/${o.name}`)).to.deep.equal([`openshift-config-managed/sha256-3a516480dfd68e0f87f702b4d7bdd6f6a0acfdac5cd2e9767b838ceede34d70d`]);
    expect(out.passThrough.map((o) => `${o.kind}/${o.name}`)).to.deep.equal(['CatalogSource/cs-redhat-operator-index', 'UpdateService/update-service-oc-mirror']);
    expect(out.notes.join('\n')).to.contain('mapping.txt: image mapping (3 images)');
    expect(raw.files.some((f) => f.file.includes('charts'))).to.equal(false);
  });

  it('-f on a v2 cluster-resources folder loads it (signature ConfigMap once), like any manifests', async () => {
    const loaded = loadManifests(await readManifests([join(FIX, 'v2-full-set-replaces-earlier/working-dir/cluster-resources')]));
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.state.mirrorSets.map((s) => s.name)).to.deep.equal(['idms-release-0', 'idms-operator-0', 'itms-operator-0']);
  });

  it('an unquoted timestamp (as our writer leaves oc-mirror annotations) stays a string, as Kubernetes reads it', () => {
    const l = loadManifests([{file: 'a.yaml', text: 'apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata:\n  name: t\n  annotations:\n    createdAt: 2026-12-01T09:30:12Z\nspec: {}\n'}]);
    expect((l.objects[0]!.body.metadata as {annotations: Record<string, unknown>}).annotations.createdAt).to.equal('2026-12-01T09:30:12Z');
  });

  it('the same signature ConfigMap under signatures/ and as JSON is read once; a different second copy is refused', async () => {
    const {out} = await read('v2-signature-also-under-signatures-dir');
    expect(out.problems).to.deep.equal([]);
    expect(out.signatures).to.have.length(1);
    expect(out.notes.join('\n')).to.contain('again, the same as in');
    const {raw} = await read('v2-signature-also-under-signatures-dir');
    const changed = raw.files.map((f) => (f.file.endsWith('.json') ? {...f, text: f.text.replace('"binaryData":{', '"binaryData":{"sha256-x-2":"eA==",')} : f));
    const bad = interpretOcMirror(changed);
    expect(bad.problems.map((p) => p.message).join('\n')).to.contain('ConfigMap mirrored-release-signatures is defined twice with different content');
  });

  it('a folder with nothing oc-mirror wrote is a problem', () => {
    const out = interpretOcMirror([{file: 'x/readme.yaml', text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n'}]);
    expect(out.problems.map((p) => p.field)).to.deep.equal(['DIR']);
  });
});

describe('mirror apply semantics (v2: a set replaces the one with the same name)', () => {
  it('final: replaces idms-operator-0 (rhel8 entry lost), deletes the v1 ICSP the new sets cover, creates the ITMS and signatures', async () => {
    const current = await gitops();
    const {out} = await read('v2-full-set-replaces-earlier/working-dir');
    expect(replacedIcsps(current, out)).to.deep.equal(['release-0']);
    const p = plan(current, ocMirrorEditor(out, {includeCatalogs: false, stage: 'final'}));
    expect(p.errors).to.deep.equal([]);
    expect(p.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).to.deep.equal([
      'update ImageDigestMirrorSet/idms-release-0',
      'update ImageDigestMirrorSet/idms-operator-0',
      'create ImageTagMirrorSet/itms-operator-0',
      'delete ImageContentSourcePolicy/release-0',
      'create ConfigMap/mirrored-release-signatures',
    ]);
    const lost = lostEntries(setsOf(current), setsOf(p.newObjects));
    expect(lost.map((e) => `${e.pulls} ${e.source} -> ${e.mirror} (${e.objects.join(', ')})`)).to.deep.equal(['digest registry.redhat.io/rhel8 -> registry.example.com:8443/rhel8 (ImageDigestMirrorSet/idms-operator-0)']);
    expect(p.disruption[0]!.level).to.equal('drain');
  });

  it('add (stage 1): nothing is lost and the ICSP stays; applying it twice is a no-op; stage 2 on top takes out the old entries', async () => {
    const current = await gitops();
    const {out} = await read('v2-full-set-replaces-earlier/working-dir');
    const s1 = plan(current, ocMirrorEditor(out, {includeCatalogs: false, stage: 'add'}));
    expect(s1.errors).to.deep.equal([]);
    expect(lostEntries(setsOf(current), setsOf(s1.newObjects))).to.deep.equal([]);
    expect(s1.changes.some((c) => c.action === 'delete')).to.equal(false);
    expect(s1.summary.join('\n')).to.contain('extend ImageDigestMirrorSet idms-operator-0').and.contain('keep ImageContentSourcePolicy release-0 until stage 2');
    expect(plan(s1.newObjects, ocMirrorEditor(out, {includeCatalogs: false, stage: 'add'})).noop).to.equal(true);
    const s2 = plan(s1.newObjects, ocMirrorEditor(out, {includeCatalogs: false, stage: 'final'}));
    expect(s2.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)).to.deep.equal(['update ImageDigestMirrorSet/idms-operator-0', 'delete ImageContentSourcePolicy/release-0']);
    expect(plan(s2.newObjects, ocMirrorEditor(out, {includeCatalogs: false, stage: 'final'})).noop).to.equal(true);
  });

  it('--include-catalogs writes CatalogSource, ClusterCatalog and UpdateService; without it they are not changes', async () => {
    const current = await gitops();
    const {out} = await read('v2-full-set-replaces-earlier/working-dir');
    const withCatalogs = plan(current, ocMirrorEditor(out, {includeCatalogs: true, stage: 'final'}));
    expect(withCatalogs.changes.filter((c) => ['CatalogSource', 'ClusterCatalog', 'UpdateService'].includes(c.kind)).map((c) => `${c.action} ${c.kind}`).sort()).to.deep.equal(['create CatalogSource', 'create ClusterCatalog', 'create UpdateService']);
    expect((withCatalogs.changes.find((c) => c.kind === 'CatalogSource')!.after as {status?: unknown}).status).to.equal(undefined);
  });

  it('pods: a digest reference under the dropped source loses its mirror; tag references and other sources do not', async () => {
    const current = await gitops();
    const {out} = await read('v2-full-set-replaces-earlier/working-dir');
    const after = plan(current, ocMirrorEditor(out, {includeCatalogs: false, stage: 'final'})).newObjects;
    const d = `@sha256:${'b'.repeat(64)}`;
    const pods = [
      {namespace: 'db', pod: 'postgres-0', container: 'postgres', image: `registry.redhat.io/rhel8/postgresql-13${d}`},
      {namespace: 'db', pod: 'postgres-0', container: 'init', image: 'registry.redhat.io/rhel8/postgresql-13:1-150'},
      {namespace: 'web', pod: 'web-1', container: 'web', image: `registry.redhat.io/rhel9/nginx-124${d}`},
      {namespace: 'x', pod: 'bad', container: 'c', image: 'UPPER/case:bad'},
    ];
    const lost = podsLosingMirrors(pods, setsOf(current), setsOf(after));
    expect(lost).to.deep.equal([{...pods[0], lost: ['registry.example.com:8443/rhel8'], remaining: []}]);
  });

  it('pods: the most specific source decides (a wider source left behind still mirrors it); wildcard sources match subdomains', () => {
    const set = (name: string, rules: Array<[string, string[]]>, kind: 'ImageDigestMirrorSet' | 'ImageTagMirrorSet' = 'ImageDigestMirrorSet') => ({kind, name, rules: rules.map(([source, mirrors]) => ({source, mirrors, mirrorSourcePolicy: ''}))});
    const d = `@sha256:${'e'.repeat(64)}`;
    const before = [set('a', [['registry.redhat.io/rhel8', ['m1.example.com/rhel8']], ['registry.redhat.io', ['m2.example.com/rh']], ['*.corp.example.com', ['m3.example.com/corp']]]), set('t', [['docker.io/library', ['m4.example.com/lib']]], 'ImageTagMirrorSet')];
    const after = [set('a', [['registry.redhat.io', ['m2.example.com/rh']]])];
    const pods = [
      {namespace: 'n', pod: 'p1', container: 'c', image: `registry.redhat.io/rhel8/x${d}`},
      {namespace: 'n', pod: 'p2', container: 'c', image: `git.corp.example.com/team/app${d}`},
      {namespace: 'n', pod: 'p3', container: 'c', image: 'nginx:1.27'},
      {namespace: 'n', pod: 'p4', container: 'c', image: `registry.redhat.io/ubi9${d}`},
    ];
    expect(podsLosingMirrors(pods, before, after).map((x) => `${x.pod}: -${x.lost.join(',')} +${x.remaining.join(',')}`)).to.deep.equal(['p1: -m1.example.com/rhel8 +m2.example.com/rh', 'p2: -m3.example.com/corp +', 'p3: -m4.example.com/lib +']);
  });
});
