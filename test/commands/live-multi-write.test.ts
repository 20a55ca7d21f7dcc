/**
 * Live changes that write two objects (trust-ca add: ConfigMap then Image; mirror
 * migrate --delete-icsp: IDMS then ICSP deletion) when the second write fails, and
 * --dry-run=server: the real CLI in-process against the fake API server.
 */
import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {FakeApiServer, type KubeObject} from '../support/fake-apiserver.js';
import {clusterObjects, ROOT, run, startAllowlistCluster} from '../support/cluster-fixture.js';

type Obj = Record<string, unknown> & {spec?: Record<string, unknown>; metadata?: Record<string, unknown>};
const CA = join(ROOT, 'test/fixtures/certs/ca.pem');
const trustCa = ['trust-ca', 'add', 'registry.lab.example.com:5000', '--cert', CA, '--yes'];

const icsp = (name: string): KubeObject => ({
  apiVersion: 'operator.openshift.io/v1alpha1',
  kind: 'ImageContentSourcePolicy',
  metadata: {name},
  spec: {repositoryDigestMirrors: [{source: `${name}.example.com/team`, mirrors: [`mirror.example.com/${name}`]}]},
});

describe('live changes that write two objects: all or exactly reported', function () {
  this.timeout(60_000);
  let srv: FakeApiServer;
  let env: Record<string, string>;
  beforeEach(async () => {
    srv = await FakeApiServer.start({objects: [...clusterObjects(), icsp('one')]});
    env = {KUBECONFIG: srv.writeKubeconfig()};
  });
  afterEach(() => srv.close());

  it('trust-ca add: a 500 that persists on the Image update rolls the created ConfigMap back (exit 3, cluster as before)', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 500});
    const imageBefore = srv.get('images', 'cluster');
    const r = await run([...trustCa, '--json'], env);
    expect(r.code, r.stderr).to.equal(3);
    const out = JSON.parse(r.stdout);
    expect(out.rolledBack).to.deep.equal([{kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config', action: 'create'}]);
    expect(out.applied).to.deep.equal([]);
    expect(out.notApplied).to.deep.equal([{kind: 'Image', name: 'cluster', action: 'update'}]);
    expect(out.message).to.contain('rolled back create ConfigMap/registry-cas').and.not.contain('nothing was changed');
    expect(srv.get('configmaps', 'registry-cas', 'openshift-config')).to.equal(undefined);
    expect(srv.get('images', 'cluster')).to.deep.equal(imageBefore);
  });

  it('trust-ca add: when the rollback fails too, exit 5 says exactly what is applied and what is not (text)', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 500});
    srv.fault({verb: 'delete', resource: 'configmaps', status: 500});
    const r = await run(trustCa, env);
    expect(r.code).to.equal(5);
    expect(r.stderr).to.contain('applied (still in the cluster): create ConfigMap/registry-cas in openshift-config');
    expect(r.stderr).to.contain('not applied: update Image/cluster');
    expect(r.stderr).to.contain('could not roll back create ConfigMap/registry-cas');
    expect(r.stderr).to.not.contain('nothing was changed');
    expect(srv.get('configmaps', 'registry-cas', 'openshift-config')).to.not.equal(undefined);
  });

  it('trust-ca add: when the rollback fails too, --json carries applied / notApplied / rolledBack', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 500});
    srv.fault({verb: 'delete', resource: 'configmaps', status: 500});
    const r = await run([...trustCa, '--json'], env);
    expect(r.code).to.equal(5);
    const out = JSON.parse(r.stdout);
    expect(out.status).to.equal(5);
    expect(out.applied).to.deep.equal([{kind: 'ConfigMap', name: 'registry-cas', namespace: 'openshift-config', action: 'create'}]);
    expect(out.notApplied).to.deep.equal([{kind: 'Image', name: 'cluster', action: 'update'}]);
    expect(out.rolledBack).to.deep.equal([]);
  });

  it('trust-ca add: a 409 on the second write only rolls back, re-reads and lands on attempt 2', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 409, reason: 'Conflict', nth: 1});
    const r = await run([...trustCa, '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).result.attempts).to.equal(2);
    expect(srv.requests.filter((q) => ['create', 'update', 'delete'].includes(q.verb)).map((q) => `${q.verb} ${q.resource} ${q.status}`)).to.deep.equal([
      'create configmaps 201',
      'update images 409',
      'delete configmaps 200',
      'create configmaps 201',
      'update images 200',
    ]);
    expect((srv.get('images', 'cluster') as Obj).spec!.additionalTrustedCA).to.deep.equal({name: 'registry-cas'});
  });

  it('an update rolled back restores the prior body with the resourceVersion our write produced', async () => {
    // trust-ca add onto an existing ConfigMap: update ConfigMap, then update Image.
    const old = {'registry.example.com': readFileSync(join(ROOT, 'test/fixtures/certs/ca2.pem'), 'utf8')};
    srv.put({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'registry-cas', namespace: 'openshift-config'}, data: old});
    srv.fault({verb: 'update', resource: 'images', status: 500});
    const r = await run(trustCa, env);
    expect(r.code).to.equal(3);
    expect((srv.get('configmaps', 'registry-cas', 'openshift-config') as Obj).data).to.deep.equal(old);
    const cmUpdates = srv.requests.filter((q) => q.verb === 'update' && q.resource === 'configmaps');
    expect(cmUpdates.map((q) => q.status)).to.deep.equal([200, 200]);
  });

  it('mirror migrate --delete-icsp: a failed ICSP deletion rolls back the created IDMS', async () => {
    srv.fault({verb: 'delete', resource: 'imagecontentsourcepolicies', status: 500});
    const r = await run(['mirror', 'migrate', '--delete-icsp', '--yes'], env);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('rolled back create ImageDigestMirrorSet/one').and.not.contain('nothing was changed');
    expect(srv.list('imagedigestmirrorsets')).to.deep.equal([]);
    expect(srv.list('imagecontentsourcepolicies')).to.have.length(1);
  });
});

describe('--dry-run=server: the API server validates and admits, nothing is stored', function () {
  this.timeout(60_000);
  let srv: FakeApiServer;
  let env: Record<string, string>;
  beforeEach(async () => {
    ({srv, env} = await startAllowlistCluster());
  });
  afterEach(() => srv.close());

  it('sends the writes with dryRun=All, reports what the server answered, stores nothing', async () => {
    const before = srv.get('images', 'cluster');
    const r = await run(['allow', 'add', 'ghcr.io', '--dry-run=server', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout).result;
    expect(out.dryRunMode).to.equal('server');
    expect(out.applied).to.deep.equal([]);
    expect(out.serverDryRun).to.have.length(1);
    expect(out.serverDryRun[0]).to.include({kind: 'Image', name: 'cluster', action: 'update'});
    const writes = srv.requests.filter((q) => q.verb === 'update');
    expect(writes.map((q) => q.path)).to.deep.equal(['/apis/config.openshift.io/v1/images/cluster?dryRun=All']);
    expect(srv.get('images', 'cluster')).to.deep.equal(before);
    const t = await run(['allow', 'add', 'ghcr.io', '--dry-run=server'], env);
    expect(t.code, t.stderr).to.equal(0);
    expect(t.stderr).to.contain('accepted by the API server').and.contain('nothing was written');
    expect(t.stdout).to.not.contain('ghcr.io\n- server');
  });

  it('a 422 from the dry run is exit 2 with the server\'s message; trust-ca writes both objects dry', async () => {
    srv.validate('images', (o) => (((o.spec as {registrySources?: {allowedRegistries?: string[]}}).registrySources?.allowedRegistries ?? []).includes('ghcr.io') ? [{field: 'spec.registrySources.allowedRegistries[1]', message: 'Invalid value: "ghcr.io": denied by admission'}] : []));
    const r = await run(['allow', 'add', 'ghcr.io', '--dry-run=server'], env);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('denied by admission').and.contain('server-side dry run; nothing was written');
    const t = await run(['trust-ca', 'add', 'registry.lab.example.com:5000', '--cert', CA, '--dry-run=server'], env);
    expect(t.code, t.stderr).to.equal(0);
    expect(srv.requests.filter((q) => q.verb === 'create' || q.verb === 'update').every((q) => q.path.endsWith('?dryRun=All'))).to.equal(true);
    expect(srv.get('configmaps', 'registry-cas', 'openshift-config')).to.equal(undefined);
  });

  it('kubectl spellings: --dry-run and --dry-run=client write nothing and send nothing; another value is exit 2', async () => {
    for (const flag of ['--dry-run', '--dry-run=client']) {
      const r = await run(['allow', 'add', 'ghcr.io', flag], env);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.contain('Dry run: nothing was written.');
    }
    expect(srv.count({verb: 'update'})).to.equal(0);
    const bad = await run(['allow', 'add', 'ghcr.io', '--dry-run=maybe'], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('--dry-run=maybe');
    expect(srv.count({verb: 'update'})).to.equal(0);
  });
});
