/**
 * Live mode of the mirror commands: the real CLI (in this process) against the fake
 * API server on 127.0.0.1 through a generated kubeconfig.
 */
import {expect} from 'chai';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FakeApiServer, type KubeObject} from '../support/fake-apiserver.js';
import {runInProcess} from '../support/in-process.js';

const RELEASE = `quay.io/openshift-release-dev/ocp-release@sha256:${'4'.repeat(64)}`;

async function run(args: string[], env: Record<string, string>, cwd?: string): Promise<{status: number; stdout: string; stderr: string}> {
  const r = await runInProcess(args, env, {cwd});
  return {status: r.code, stdout: r.stdout, stderr: r.stderr};
}

const image = (spec: Record<string, unknown> = {}): KubeObject => ({apiVersion: 'config.openshift.io/v1', kind: 'Image', metadata: {name: 'cluster'}, spec});
const cv: KubeObject = {apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: {name: 'version'}, status: {desired: {image: RELEASE}}};
const idms = (name: string, rules: Array<Record<string, unknown>>, labels?: Record<string, string>): KubeObject => ({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name, ...(labels ? {labels} : {})}, spec: {imageDigestMirrors: rules}});
const icsp = (name: string, rules: Array<Record<string, unknown>>, labels?: Record<string, string>): KubeObject => ({apiVersion: 'operator.openshift.io/v1alpha1', kind: 'ImageContentSourcePolicy', metadata: {name, ...(labels ? {labels} : {})}, spec: {repositoryDigestMirrors: rules}});

describe('mirror commands: live mode against the fake API server', function () {
  this.timeout(60000);
  let srv: FakeApiServer;
  let env: Record<string, string>;

  async function start(objects: KubeObject[]) {
    srv = await FakeApiServer.start({objects: [image(), cv, ...objects]});
    env = {KUBECONFIG: srv.writeKubeconfig()};
  }
  afterEach(() => srv?.close());

  it('mirror add updates the object that lists the source, keeping its other fields', async () => {
    await start([idms('redhat', [{source: 'registry.redhat.io/ubi9', mirrors: ['a.example.com/ubi9']}], {team: 'platform'})]);
    const rv = srv.get('imagedigestmirrorsets', 'redhat')!.metadata!.resourceVersion;
    const r = await run(['mirror', 'add', 'registry.redhat.io/ubi9', 'b.example.com/ubi9', '--yes', '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    const o = srv.get('imagedigestmirrorsets', 'redhat')!;
    expect(o.spec).to.deep.equal({imageDigestMirrors: [{source: 'registry.redhat.io/ubi9', mirrors: ['a.example.com/ubi9', 'b.example.com/ubi9']}]});
    expect(o.metadata!.labels).to.deep.equal({team: 'platform'});
    expect(o.metadata!.resourceVersion).to.not.equal(rv);
    const res = JSON.parse(r.stdout) as {result: {mode: string; plan: {disruption: Array<{level: string}>}}};
    expect(res.result.mode).to.equal('live');
    expect(res.result.plan.disruption.map((d) => d.level)).to.deep.equal(['crio-reload', 'crio-reload']);
    // The update carried the resourceVersion it read (optimistic concurrency).
    expect(srv.count({verb: 'update', resource: 'imagedigestmirrorsets'})).to.equal(1);
  });

  it('re-reads and re-applies the same intent after a 409 Conflict', async () => {
    await start([idms('redhat', [{source: 'registry.redhat.io/ubi9', mirrors: ['a.example.com/ubi9']}])]);
    srv.fault({verb: 'update', resource: 'imagedigestmirrorsets', status: 409, times: 1});
    const r = await run(['mirror', 'add', 'registry.redhat.io/ubi9', 'b.example.com/ubi9', '--yes', '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect((JSON.parse(r.stdout) as {result: {attempts: number}}).result.attempts).to.equal(2);
    expect((srv.get('imagedigestmirrorsets', 'redhat')!.spec as {imageDigestMirrors: Array<{mirrors: string[]}>}).imageDigestMirrors[0]!.mirrors).to.deep.equal(['a.example.com/ubi9', 'b.example.com/ubi9']);
  });

  it('creates a new IDMS when no object lists the source; --dry-run writes nothing', async () => {
    await start([]);
    const dry = await run(['mirror', 'add', 'docker.io/library', 'mirror.example.com/hub', '--dry-run'], env);
    expect(dry.status, dry.stderr).to.equal(0);
    expect(dry.stdout).to.contain('create ImageDigestMirrorSet/docker-io-library');
    expect(srv.count({verb: 'create'})).to.equal(0);
    const r = await run(['mirror', 'add', 'docker.io/library', 'mirror.example.com/hub', '--yes'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(srv.get('imagedigestmirrorsets', 'docker-io-library')!.spec).to.deep.equal({imageDigestMirrors: [{source: 'docker.io/library', mirrors: ['mirror.example.com/hub']}]});
  });

  it('without a terminal and without --yes nothing is written (exit 2)', async () => {
    await start([]);
    const r = await run(['mirror', 'add', 'docker.io/library', 'mirror.example.com/hub'], env);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('--yes');
    expect(srv.count({verb: 'create'})).to.equal(0);
  });

  it('mirror remove deletes an object left without rules', async () => {
    await start([idms('hub', [{source: 'docker.io/library', mirrors: ['m.example.com/hub']}])]);
    const r = await run(['mirror', 'remove', 'docker.io/library', '--yes'], env);
    expect(r.status, r.stderr).to.equal(0);
    expect(srv.get('imagedigestmirrorsets', 'hub')).to.equal(undefined);
  });

  it('mirror list reads every kind from the cluster', async () => {
    await start([idms('a', [{source: 'reg.io/app', mirrors: ['a.mirror/app']}]), icsp('legacy', [{source: 'reg.io/app', mirrors: ['b.mirror/app']}])]);
    const r = await run(['mirror', 'list', '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    const res = JSON.parse(r.stdout) as {result: {rows: Array<{object: string; kind: string}>; effective: Array<{mirrors: Array<{location: string}>}>}};
    expect(res.result.rows.map((x) => `${x.kind}/${x.object}`)).to.deep.equal(['IDMS/a', 'ICSP/legacy']);
    expect(res.result.effective[0]!.mirrors.map((m) => m.location)).to.deep.equal(['a.mirror/app', 'b.mirror/app']);
  });

  it('mirror migrate creates the IDMS objects, keeps the ICSPs, and proves nothing changes on nodes', async () => {
    await start([icsp('release-0', [{source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['m.example.com/ocp4']}, {source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: ['m.example.com/ocp4']}], {'operators.openshift.org/catalog': 'true'})]);
    const r = await run(['mirror', 'migrate', '--yes', '--json'], env);
    expect(r.status, r.stderr).to.equal(0);
    const res = JSON.parse(r.stdout) as {result: {proof: {identical: boolean}; proofWithoutIcsp: {identical: boolean}; applied: Array<{action: string; kind: string; name: string}>}};
    expect(res.result.proof.identical).to.equal(true);
    expect(res.result.proofWithoutIcsp.identical).to.equal(true);
    expect(res.result.applied.map((a) => `${a.action} ${a.kind}/${a.name}`)).to.deep.equal(['create ImageDigestMirrorSet/release-0']);
    expect(srv.get('imagedigestmirrorsets', 'release-0')!.spec).to.deep.equal({imageDigestMirrors: [{source: 'quay.io/openshift-release-dev/ocp-release', mirrors: ['m.example.com/ocp4']}, {source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: ['m.example.com/ocp4']}]});
    expect(srv.get('imagedigestmirrorsets', 'release-0')!.metadata!.labels).to.deep.equal({'operators.openshift.org/catalog': 'true'});
    expect(srv.get('imagecontentsourcepolicies', 'release-0')).to.not.equal(undefined);
    // Running it again recognises the earlier migration; --delete-icsp then only deletes.
    const again = await run(['mirror', 'migrate', '--delete-icsp', '--yes', '--json'], env);
    expect(again.status, again.stderr).to.equal(0);
    expect((JSON.parse(again.stdout) as typeof res).result.applied.map((a) => `${a.action} ${a.kind}/${a.name}`)).to.deep.equal(['delete ImageContentSourcePolicy/release-0']);
    expect(srv.get('imagecontentsourcepolicies', 'release-0')).to.equal(undefined);
    expect(srv.count({verb: 'create', resource: 'imagedigestmirrorsets'})).to.equal(1);
  });

  it('mirror migrate --out writes the IDMS files and changes nothing on the cluster', async () => {
    await start([icsp('ops', [{source: 'registry.redhat.io/redhat', mirrors: ['m.example.com/redhat']}])]);
    const dir = mkdtempSync(join(tmpdir(), 'ocr-migrate-'));
    try {
      const r = await run(['mirror', 'migrate', '--out', 'idms', '--yes'], env, dir);
      expect(r.status, r.stderr).to.equal(0);
      expect(readdirSync(join(dir, 'idms'))).to.deep.equal(['imagedigestmirrorset-ops.yaml']);
      expect(readFileSync(join(dir, 'idms', 'imagedigestmirrorset-ops.yaml'), 'utf8')).to.contain('kind: ImageDigestMirrorSet');
      expect(srv.count({verb: 'create'}) + srv.count({verb: 'delete'})).to.equal(0);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
