/** render --format acm-policy | kustomize: schema, byte stability, refusal, and reading it back with render -f. */
import {expect} from 'chai';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseAllDocuments} from 'yaml';
import {cli, cliJson, ROOT} from '../support/cli.js';
import {CONFIGURATION_POLICY, PLACEMENT, PLACEMENT_BINDING, POLICY, validate} from '../support/acm-schemas.js';
import {runCli, startCluster} from '../support/verify-cluster.js';

type Obj = Record<string, unknown>;
const tmp = () => mkdtempSync(join(tmpdir(), 'fleet-export-'));
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as Obj);
const get = (o: unknown, ...path: Array<string | number>): unknown => path.reduce<unknown>((x, k) => (x as Obj | undefined)?.[k as string], o);
const ex = (name: string) => join(ROOT, 'examples', name);
const nodeFiles = async (args: string[]) => (await cliJson<{result: {files: Array<{path: string; content: string}>}}>(['render', ...args])).json.result.files;

describe('render --format acm-policy / kustomize', function () {
  this.timeout(60000);

  it('acm-policy: Policy, Placement and PlacementBinding valid against the published CRD schemas, field by field', async () => {
    const r = await cli(['render', '-f', ex('trusted-ca.yaml'), '--format', 'acm-policy', '--remediation', 'enforce', '--policy-name', 'registries', '--policy-namespace', 'fleet-policies', '--placement-label', 'env=prod', '--placement-label', 'region=eu', '--cluster-set', 'prod-set']);
    expect(r.status, r.stderr).to.equal(0);
    const [policy, placement, binding, ...rest] = docs(r.stdout);
    expect(rest).to.have.length(0);
    expect(validate(policy, POLICY)).to.deep.equal([]);
    expect(validate(placement, PLACEMENT)).to.deep.equal([]);
    expect(validate(binding, PLACEMENT_BINDING)).to.deep.equal([]);
    const templates = get(policy, 'spec', 'policy-templates') as Obj[];
    expect(templates).to.have.length(1);
    const cp = templates[0]!.objectDefinition;
    expect(validate(cp, CONFIGURATION_POLICY)).to.deep.equal([]);
    expect(get(policy, 'metadata')).to.deep.include({name: 'registries', namespace: 'fleet-policies'});
    expect(get(policy, 'spec', 'disabled')).to.equal(false);
    expect(get(policy, 'spec', 'remediationAction')).to.equal('enforce');
    expect(get(cp, 'spec', 'remediationAction')).to.equal('enforce');
    const objectTemplates = get(cp, 'spec', 'object-templates') as Obj[];
    expect(objectTemplates.map((t) => t.complianceType)).to.deep.equal(objectTemplates.map(() => 'musthave'));
    expect(objectTemplates.map((t) => `${get(t, 'objectDefinition', 'kind')}/${get(t, 'objectDefinition', 'metadata', 'name')}`)).to.deep.equal(['Image/cluster', 'ConfigMap/registry-cas']);
    expect(get(objectTemplates[1], 'objectDefinition', 'metadata', 'namespace')).to.equal('openshift-config');
    expect(get(placement, 'metadata')).to.deep.equal({name: 'placement-registries', namespace: 'fleet-policies'});
    expect(get(placement, 'spec', 'clusterSets')).to.deep.equal(['prod-set']);
    expect(get(placement, 'spec', 'predicates', 0, 'requiredClusterSelector', 'labelSelector')).to.deep.equal({
      matchExpressions: [{key: 'vendor', operator: 'In', values: ['OpenShift']}],
      matchLabels: {env: 'prod', region: 'eu'},
    });
    expect(get(binding, 'placementRef')).to.deep.equal({apiGroup: 'cluster.open-cluster-management.io', kind: 'Placement', name: 'placement-registries'});
    expect(get(binding, 'subjects')).to.deep.equal([{apiGroup: 'policy.open-cluster-management.io', kind: 'Policy', name: 'registries'}]);
    // Defaults: inform, no extra labels.
    const d = docs((await cli(['render', '-f', ex('mirrors.yaml'), '--format', 'acm-policy'])).stdout);
    expect(get(d[0], 'spec', 'remediationAction')).to.equal('inform');
    expect(get(d[0], 'spec', 'policy-templates', 0, 'objectDefinition', 'spec', 'remediationAction')).to.equal('inform');
    expect(get(d[1], 'spec', 'predicates', 0, 'requiredClusterSelector', 'labelSelector')).to.not.have.property('matchLabels');
  });

  it('byte-stable: the same configuration gives the same bytes, whatever the key and document order of the input', async () => {
    const dir = tmp();
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, readFileSync(ex('mirrors.yaml')));
    // The same objects, documents reversed and keys reordered.
    const reordered = docs(readFileSync(ex('mirrors.yaml'), 'utf8'))
      .reverse()
      .map((o) => JSON.stringify(Object.fromEntries(Object.entries(o).reverse())))
      .join('\n---\n');
    writeFileSync(b, reordered);
    const first = (await cli(['render', '-f', a, '--format', 'acm-policy'])).stdout;
    expect((await cli(['render', '-f', a, '--format', 'acm-policy'])).stdout).to.equal(first);
    expect((await cli(['render', '-f', b, '--format', 'acm-policy'])).stdout).to.equal(first);
  });

  for (const example of ['allowlist.yaml', 'blocklist.yaml', 'mirrors.yaml', 'payload-blocking.yaml', 'search.yaml', 'signature-policy-default.yaml', 'trusted-ca.yaml']) {
    it(`render -f reads the ACM policy and the kustomize directory of ${example} back to the same node files`, async () => {
      const dir = tmp();
      // The export carries no ClusterVersion (each cluster has its own): render both sides for the same payload.
      const release = ['--release-image', 'quay.io/openshift-payload/release@sha256:4f2b3c7d9e1a5b6c8d0e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c'];
      const want = await nodeFiles(['-f', ex(example), ...release]);
      const pol = join(dir, 'policy.yaml');
      const r = await cli(['render', '-f', ex(example), '--format', 'acm-policy', '--out', pol, ...release]);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.equal(pol);
      expect(nodeFiles(['-f', pol, ...release])).to.deep.equal(want);
      const k = join(dir, 'kustomize');
      expect((await cli(['render', '-f', ex(example), '--format', 'kustomize', '--out', k, ...release])).status).to.equal(0);
      expect(nodeFiles(['-f', k, ...release])).to.deep.equal(want);
    });
  }

  it('kustomize: one file per object and a kustomization.yaml listing them; a directory with other files is refused', async () => {
    const k = join(tmp(), 'out');
    const r = await cliJson<{result: {written: string[]; objects: Array<{kind: string; name: string}>}}>(['render', '-f', ex('trusted-ca.yaml'), '--format', 'kustomize', '--out', k]);
    expect(r.status).to.equal(0);
    expect(readdirSync(k).sort()).to.deep.equal(['configmap-openshift-config_registry-cas.yaml', 'image-cluster.yaml', 'kustomization.yaml']);
    expect(docs(readFileSync(join(k, 'kustomization.yaml'), 'utf8'))[0]).to.deep.equal({apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['image-cluster.yaml', 'configmap-openshift-config_registry-cas.yaml']});
    // Again into the same directory: the files are replaced.
    expect((await cli(['render', '-f', ex('trusted-ca.yaml'), '--format', 'kustomize', '--out', k])).status).to.equal(0);
    writeFileSync(join(k, 'notes.yaml'), 'kind: Other\n');
    const refused = await cli(['render', '-f', ex('trusted-ca.yaml'), '--format', 'kustomize', '--out', k]);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.include('holds other files (notes.yaml)');
    expect((await cli(['render', '-f', ex('trusted-ca.yaml'), '--format', 'kustomize'])).stderr).to.include('pass --out DIR');
  });

  it('an allowlist without the release payload is refused before it reaches a fleet: exit 2, nothing written', async () => {
    const dir = tmp();
    const f = join(dir, 'image.yaml');
    writeFileSync(f, 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    allowedRegistries: [registry.redhat.io, mirror.example.com]\n');
    // render alone only warns ...
    expect((await cli(['render', '-f', f])).status).to.equal(0);
    // ... a fleet format refuses.
    const out = join(dir, 'policy.yaml');
    const r = await cli(['render', '-f', f, '--format', 'acm-policy', '--out', out]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/error: .*allowedRegistries does not cover quay\.io\/openshift-release-dev\/ocp-release.*allowlist-missing-payload: refused for --format acm-policy/);
    expect(existsSync(out)).to.equal(false);
    const k = join(dir, 'k');
    expect((await cli(['render', '-f', f, '--format', 'kustomize', '--out', k])).status).to.equal(2);
    expect(existsSync(k)).to.equal(false);
    // Input the API server would refuse is refused too.
    writeFileSync(f, 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    allowedRegistries: [quay.io]\n    blockedRegistries: [docker.io]\n');
    expect((await cli(['render', '-f', f, '--format', 'acm-policy'])).status).to.equal(2);
  });

  it('bad policy names and labels are usage errors naming the flag and value', async () => {
    const r = await cli(['render', '-f', ex('mirrors.yaml'), '--format', 'acm-policy', '--policy-name', 'Registries_1', '--placement-label', 'env']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include('--placement-label "env": must be key=value');
    expect(r.stderr).to.include('--policy-name "Registries_1": must be a DNS subdomain');
    const long = await cli(['render', '-f', ex('mirrors.yaml'), '--format', 'acm-policy', '--policy-name', 'a'.repeat(40), '--policy-namespace', 'b'.repeat(30)]);
    expect(long.status).to.equal(2);
    expect(long.stderr).to.include('ACM allows at most 62');
  });

  it('from a live cluster: the objects without server-managed metadata or status; several contexts are refused', async () => {
    const srv = await startCluster();
    try {
      srv.modify('images', 'cluster', (o) => {
        (o.metadata as Obj).managedFields = [{manager: 'kubectl', operation: 'Update'}];
        (o.metadata as Obj).annotations = {'include.release.openshift.io/self-managed-high-availability': 'true', 'team.example.com/owner': 'platform'};
        o.status = {internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000'};
      });
      const r = await runCli(srv, ['render', '--format', 'acm-policy']);
      expect(r.code, r.stderr).to.equal(0);
      const text = r.stdout;
      for (const k of ['resourceVersion', 'uid:', 'managedFields', 'creationTimestamp', 'status:', 'include.release.openshift.io']) expect(text).not.to.include(k);
      const templates = get(docs(text)[0], 'spec', 'policy-templates', 0, 'objectDefinition', 'spec', 'object-templates') as Obj[];
      expect(templates.map((t) => get(t, 'objectDefinition', 'kind'))).to.deep.equal(['Image', 'ImageDigestMirrorSet', 'ConfigMap']);
      expect(get(templates[0], 'objectDefinition', 'metadata')).to.deep.equal({annotations: {'team.example.com/owner': 'platform'}, name: 'cluster'});
      const multi = await runCli(srv, ['render', '--format', 'acm-policy', '--all-contexts']);
      expect(multi.code).to.equal(2);
      expect(multi.stderr).to.include('--format acm-policy builds one configuration');
    } finally {
      await srv.close();
    }
  });
});

describe('render -f with ACM policies', () => {
  it('skips mustnothave templates and kinds it does not manage inside a policy', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'p'));
    const f = join(dir, 'p', 'policy.yaml');
    writeFileSync(
      f,
      [
        'apiVersion: policy.open-cluster-management.io/v1',
        'kind: Policy',
        'metadata: {name: x, namespace: policies}',
        'spec:',
        '  disabled: false',
        '  policy-templates:',
        '  - objectDefinition:',
        '      apiVersion: policy.open-cluster-management.io/v1',
        '      kind: ConfigurationPolicy',
        '      metadata: {name: x}',
        '      spec:',
        '        remediationAction: inform',
        '        object-templates:',
        '        - complianceType: musthave',
        '          objectDefinition: {apiVersion: config.openshift.io/v1, kind: Image, metadata: {name: cluster}, spec: {registrySources: {blockedRegistries: [docker.io]}}}',
        '        - complianceType: mustnothave',
        '          objectDefinition: {apiVersion: config.openshift.io/v1, kind: ImageTagMirrorSet, metadata: {name: old}, spec: {imageTagMirrors: [{source: a.example.com/x, mirrors: [b.example.com/x]}]}}',
        '        - complianceType: musthave',
        '          objectDefinition: {apiVersion: v1, kind: Namespace, metadata: {name: other}}',
        '',
      ].join('\n'),
    );
    const r = await cliJson<{result: {files: Array<{path: string; content: string}>}}>(['render', '-f', join(dir, 'p')]);
    expect(r.status, r.stderr).to.equal(0);
    const conf = r.json.result.files.find((x) => x.path === '/etc/containers/registries.conf')!.content;
    expect(conf).to.include('location = "docker.io"');
    expect(conf).not.to.include('b.example.com');
  });
});
