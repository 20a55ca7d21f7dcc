/**
 * `mirror apply` on a live cluster (fake API server, real client-node, bin/run.js): an oc-mirror v2 set
 * replaces the earlier one and drops an entry a running pod pulls through; the cluster's own node
 * disruption policy decides the prediction; --staged waits for the pools between the stages.
 */
import {expect} from 'chai';
import {join} from 'node:path';
import {DEFAULT_RESOURCES, FakeApiServer, type KubeObject} from '../support/fake-apiserver.js';
import {clusterObjects, pool, ROOT, run} from '../support/cluster-fixture.js';

const V2 = join(ROOT, 'test', 'fixtures', 'oc-mirror', 'v2-full-set-replaces-earlier', 'working-dir');
const DIGEST = `@sha256:${'c'.repeat(64)}`;
const MC_RESOURCE = {group: 'operator.openshift.io', version: 'v1', plural: 'machineconfigurations', kind: 'MachineConfiguration', namespaced: false};
const CATALOG_RESOURCES = [
  {group: 'operators.coreos.com', version: 'v1alpha1', plural: 'catalogsources', kind: 'CatalogSource', namespaced: true},
  {group: 'olm.operatorframework.io', version: 'v1', plural: 'clustercatalogs', kind: 'ClusterCatalog', namespaced: false},
  {group: 'updateservice.operator.openshift.io', version: 'v1', plural: 'updateservices', kind: 'UpdateService', namespaced: true},
];

const idms = (name: string, rules: Array<{source: string; mirrors: string[]}>): KubeObject => ({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name}, spec: {imageDigestMirrors: rules}});
const earlier = [
  idms('idms-operator-0', [
    {source: 'registry.redhat.io/openshift4', mirrors: ['registry.example.com:8443/openshift4']},
    {source: 'registry.redhat.io/rhel8', mirrors: ['registry.example.com:8443/rhel8']},
  ]),
  {apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: {name: 'release-0'}, spec: {repositoryDigestMirrors: [{source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['registry.example.com:8443/openshift-release-dev/ocp-release']}]}},
  {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'postgres-0', namespace: 'db'}, spec: {containers: [{name: 'postgres', image: `registry.redhat.io/rhel8/postgresql-13${DIGEST}`}]}},
  {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'web-1', namespace: 'web'}, spec: {containers: [{name: 'web', image: `registry.redhat.io/openshift4/ose-cli${DIGEST}`}]}},
] as KubeObject[];

type Json = {status: number; result: {lostEntries: Array<{source: string; mirror: string}>; podsLosingMirrors: Array<{namespace: string; pod: string; image: string; lost: string[]; remaining: string[]}>; stages: Array<{name: string; result: {dryRun: boolean; applied: Array<{action: string; kind: string; name: string}>; plan: {disruption: Array<{pool: string; level: string; text: string; release: string}>; files: Array<{path: string; rule: string}>}}}>}};

describe('mirror apply on a live cluster (fake API server)', function () {
  this.timeout(120_000);
  let srv: FakeApiServer;
  let env: Record<string, string>;
  afterEach(() => srv?.close());

  async function start(extra: KubeObject[] = []) {
    srv = await FakeApiServer.start({resources: [...DEFAULT_RESOURCES, MC_RESOURCE, ...CATALOG_RESOURCES], objects: [...clusterObjects(), ...earlier, ...extra]});
    env = {KUBECONFIG: srv.writeKubeconfig()};
  }

  it('--dry-run: lists the dropped entry and the pod image that loses its mirror, predicts a drain, writes nothing', async () => {
    await start();
    const r = await run(['mirror', 'apply', V2, '--dry-run', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.result.lostEntries.map((e) => `${e.source} -> ${e.mirror}`)).to.deep.equal(['registry.redhat.io/rhel8 -> registry.example.com:8443/rhel8']);
    expect(j.result.podsLosingMirrors).to.deep.equal([{namespace: 'db', pod: 'postgres-0', container: 'postgres', image: `registry.redhat.io/rhel8/postgresql-13${DIGEST}`, lost: ['registry.example.com:8443/rhel8'], remaining: []}]);
    const plan = j.result.stages[0]!.result.plan;
    expect(plan.disruption.map((d) => `${d.pool}:${d.level}`)).to.deep.equal(['master:drain', 'worker:drain']);
    expect(plan.disruption[0]!.release).to.equal('OpenShift 4.18.3: default node disruption policies (no MachineConfiguration/cluster)');
    expect(srv.requests.filter((q) => ['create', 'update', 'delete'].includes(q.verb))).to.deep.equal([]);
    // The text preview shows the same.
    const t = await run(['mirror', 'apply', V2, '--dry-run'], env);
    expect(t.stdout).to.contain('Mirror entries that disappear (1):').and.contain('db/postgres-0 postgres: registry.redhat.io/rhel8/postgresql-13').and.contain('no mirror left: pulls go to the source');
  });

  it("the cluster's own policy decides: registries.conf with Reload crio.service in the status never drains", async () => {
    const mc: KubeObject = {
      apiVersion: 'operator.openshift.io/v1',
      kind: 'MachineConfiguration',
      metadata: {name: 'cluster'},
      spec: {nodeDisruptionPolicy: {files: [{path: '/etc/containers/registries.conf', actions: [{type: 'Reload', reload: {serviceName: 'crio.service'}}]}]}},
      status: {observedGeneration: 1, nodeDisruptionPolicyStatus: {clusterPolicies: {files: [{path: '/etc/containers/registries.conf', actions: [{type: 'Reload', reload: {serviceName: 'crio.service'}}]}], sshkey: {actions: [{type: 'None'}]}}}},
    };
    await start([mc]);
    const r = await run(['mirror', 'apply', V2, '--dry-run', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const plan = (JSON.parse(r.stdout) as Json).result.stages[0]!.result.plan;
    expect(plan.disruption.map((d) => d.text)).to.deep.equal(['CRI-O reload (no drain, no reboot)', 'CRI-O reload (no drain, no reboot)']);
    expect(plan.files.map((f) => f.rule)).to.deep.equal(['cluster policy for /etc/containers/registries.conf: Reload crio.service']);
  });

  it('--staged --yes: stage 1 keeps every entry, waits for the pools, then stage 2 drops rhel8 and deletes the covered ICSP', async () => {
    await start();
    let rolled = false;
    srv.onRequest = (rec) => {
      // The pools roll out stage 1 (the IDMS update) a moment after it is written.
      if (rec.verb === 'update' && rec.resource === 'imagedigestmirrorsets' && !rolled) {
        rolled = true;
        setTimeout(() => {
          for (const name of ['master', 'worker']) srv.put(pool(name, 3, `rendered-${name}-0002`));
        }, 100);
      }
    };
    const r = await run(['mirror', 'apply', V2, '--staged', '--yes', '--json'], {...env, OC_REGISTRIES_WAIT_INTERVAL_MS: '50'});
    expect(r.code, r.stderr).to.equal(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.result.stages.map((s) => s.name)).to.deep.equal(['stage 1: add new mirrors', 'stage 2: remove old entries']);
    expect(j.result.stages[1]!.result.applied.map((a) => `${a.action} ${a.kind}/${a.name}`)).to.deep.equal(['update ImageDigestMirrorSet/idms-operator-0', 'delete ImageContentSourcePolicy/release-0']);
    const writes = srv.requests.filter((q) => ['create', 'update', 'delete'].includes(q.verb) || q.resource === 'machineconfigpools').map((q) => `${q.verb} ${q.resource}`);
    // Every stage-1 write, then the pool watch, then the stage-2 writes.
    const firstPoolRead = writes.findIndex((w) => w.endsWith('machineconfigpools') && writes.slice(0, writes.indexOf(w)).some((x) => x.startsWith('update')));
    expect(writes.slice(firstPoolRead).filter((w) => w.startsWith('delete'))).to.deep.equal(['delete imagecontentsourcepolicies']);
    expect(writes.slice(0, firstPoolRead).filter((w) => w.startsWith('delete'))).to.deep.equal([]);
    const rules = (srv.get('imagedigestmirrorsets', 'idms-operator-0')!.spec as {imageDigestMirrors: Array<{source: string}>}).imageDigestMirrors.map((x) => x.source);
    expect(rules).to.deep.equal(['registry.redhat.io/openshift4', 'registry.redhat.io/rhel9']);
    expect(srv.get('imagecontentsourcepolicies', 'release-0')).to.equal(undefined);
    expect(srv.get('configmaps', 'mirrored-release-signatures', 'openshift-config-managed')!.metadata!.labels).to.deep.equal({'release.openshift.io/verification-signatures': ''});
    expect(r.stderr).to.contain('pool worker: 3/3 updated');
    // Running it again changes nothing.
    const again = await run(['mirror', 'apply', V2, '--staged', '--yes', '--json'], env);
    expect(again.code, again.stderr).to.equal(0);
    expect((JSON.parse(again.stdout) as Json).result.stages.flatMap((s) => s.result.applied)).to.deep.equal([]);
  });

  it('--include-catalogs creates CatalogSource, ClusterCatalog and UpdateService, and replaces them on the next run', async () => {
    await start([{apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', metadata: {name: 'cs-redhat-operator-index-v4-18', namespace: 'openshift-marketplace'}, spec: {image: 'old.example.com/index:v4.17', sourceType: 'grpc'}}]);
    const r = await run(['mirror', 'apply', V2, '--include-catalogs', '--yes', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const applied = (JSON.parse(r.stdout) as Json).result.stages[0]!.result.applied.map((a) => `${a.action} ${a.kind}/${a.name}`);
    expect(applied).to.include.members(['update CatalogSource/cs-redhat-operator-index-v4-18', 'create ClusterCatalog/cc-redhat-operator-index-v4-18', 'create UpdateService/update-service-oc-mirror']);
    expect((srv.get('catalogsources', 'cs-redhat-operator-index-v4-18', 'openshift-marketplace')!.spec as {image: string}).image).to.equal('registry.example.com:8443/redhat/redhat-operator-index:v4.18');
    expect(srv.get('updateservices', 'update-service-oc-mirror', 'openshift-update-service')).to.not.equal(undefined);
    const again = await run(['mirror', 'apply', V2, '--include-catalogs', '--yes', '--json'], env);
    expect((JSON.parse(again.stdout) as Json).result.stages[0]!.result.applied).to.deep.equal([]);
  });

  it('without the right to list pods the preview still runs and says the pods were not checked', async () => {
    await start();
    srv.fault({verb: 'list', resource: 'pods', status: 403});
    const r = await run(['mirror', 'apply', V2, '--dry-run', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const res = (JSON.parse(r.stdout) as {result: {notes: string[]; podsLosingMirrors?: unknown}}).result;
    expect(res.podsLosingMirrors).to.equal(undefined);
    expect(res.notes.join('\n')).to.contain('pods not checked for lost mirrors: list pods in all namespaces: forbidden');
  });
});
