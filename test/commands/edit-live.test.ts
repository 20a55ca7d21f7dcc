/** Live mode of the editing commands: bin/run.js processes against the fake API server. */
import {expect} from 'chai';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FakeApiServer} from '../support/fake-apiserver.js';
import {clusterObjects, pool, ROOT, run, runSpawn} from '../support/cluster-fixture.js';

type Obj = Record<string, unknown> & {spec?: Record<string, unknown>; metadata?: Record<string, unknown>};

const allowed = (srv: FakeApiServer): string[] | undefined => ((srv.get('images', 'cluster') as Obj).spec?.registrySources as {allowedRegistries?: string[]} | undefined)?.allowedRegistries;

describe('editing commands on a live cluster (fake API server, real client-node)', function () {
  this.timeout(180_000);
  let srv: FakeApiServer;
  let kc: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    srv = await FakeApiServer.start({objects: clusterObjects({registrySources: {allowedRegistries: ['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000']}}), tokens: {'tok-alice': 'alice'}});
    kc = srv.writeKubeconfig({user: 'alice', token: 'tok-alice'});
    env = {KUBECONFIG: kc};
  });
  afterEach(() => srv.close());

  it('allow add writes with the resourceVersion it read; --json holds the plan and what was applied', async () => {
    const rvBefore = (srv.get('images', 'cluster') as Obj).metadata!.resourceVersion;
    const r = await run(['allow', 'add', 'ghcr.io/acme', '--yes', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).to.equal(0);
    expect(out.result.mode).to.equal('live');
    expect(out.result.plan.summary).to.deep.equal(['add ghcr.io/acme to allowedRegistries']);
    expect(out.result.plan.changes[0].diff).to.contain('+      - ghcr.io/acme');
    expect(out.result.plan.files[0].path).to.equal('/etc/containers/policy.json');
    expect(out.result.plan.disruption.map((d: {pool: string; level: string}) => `${d.pool}:${d.level}`)).to.deep.equal(['master:crio-reload', 'worker:crio-reload']);
    expect(out.result.applied).to.have.length(1);
    expect(out.result.target).to.deep.equal({server: srv.url, user: 'alice'});
    const now = srv.get('images', 'cluster') as Obj;
    expect(out.result.applied[0].resourceVersion).to.equal(now.metadata!.resourceVersion);
    expect(Number(now.metadata!.resourceVersion)).to.be.greaterThan(Number(rvBefore));
    expect(allowed(srv)).to.deep.equal(['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000', 'ghcr.io/acme']);
    // The status written by the cluster is left alone.
    expect(now.status).to.deep.equal({internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000'});
    expect(srv.requests.filter((q) => q.verb === 'update').map((q) => q.user)).to.deep.equal(['alice']);
  });

  it('a concurrent write between read and write: 409, re-read, re-apply the same intent; both changes kept', async () => {
    let raced = false;
    srv.onRequest = (rec) => {
      if (rec.verb === 'update' && rec.resource === 'images' && !raced) {
        raced = true;
        srv.modify('images', 'cluster', (o) => ((o.spec as {registrySources: {allowedRegistries: string[]}}).registrySources.allowedRegistries.push('other.example.com')));
      }
    };
    const r = await run(['allow', 'add', 'ghcr.io', '--yes', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).result.attempts).to.equal(2);
    expect(srv.count({verb: 'update', resource: 'images', status: 409})).to.equal(1);
    expect(allowed(srv)).to.include.members(['other.example.com', 'ghcr.io']);
  });

  it('conflicts that do not resolve: exit 4 after bounded retries, nothing changed', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 409, reason: 'Conflict', message: 'the object has been modified'});
    const before = srv.get('images', 'cluster');
    const r = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r.code).to.equal(4);
    expect(r.stderr).to.contain('nothing was changed');
    expect(srv.count({verb: 'update', resource: 'images'})).to.equal(12);
    expect(srv.get('images', 'cluster')).to.deep.equal(before);
  });

  it('forbidden: exit 3 naming the API and the user', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 403});
    const r = await run(['block', 'add', 'docker.io', '--yes'], {KUBECONFIG: srv.writeKubeconfig({user: 'alice', token: 'tok-alice'})});
    // allowed and blocked both set is refused before any write:
    expect(r.code).to.equal(2);
    const r2 = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r2.code).to.equal(3);
    expect(r2.stderr).to.contain('update images.config.openshift.io/cluster').and.contain('forbidden for user alice').and.contain(srv.url);
    srv.clearFaults();
    srv.fault({verb: 'list', resource: 'machineconfigpools', status: 403});
    const r3 = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r3.code).to.equal(3);
    expect(r3.stderr).to.contain('list machineconfigpools.machineconfiguration.openshift.io').and.contain('alice');
    expect(allowed(srv)).to.not.include('ghcr.io');
  });

  it('unreachable API server, 500s and 401: exit 3', async () => {
    // One 500 is retried (api-faults.test.ts); one that persists past the retries is exit 3.
    srv.fault({verb: 'get', resource: 'images', status: 500});
    let r = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('answered 500');
    srv.clearFaults();
    r = await run(['allow', 'add', 'ghcr.io', '--yes'], {KUBECONFIG: srv.writeKubeconfig({user: 'mallory', token: 'wrong'})});
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('unauthorized as user mallory');
    await srv.close();
    r = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('cannot reach the API server').and.contain('as user alice');
  });

  it('a 422 from the API server is a validation error (exit 2)', async () => {
    srv.validate('images', (o) => (((o.spec as {registrySources?: {allowedRegistries?: string[]}}).registrySources?.allowedRegistries ?? []).includes('ghcr.io') ? [{field: 'spec.registrySources.allowedRegistries[3]', message: 'Invalid value: "ghcr.io": policy'}] : []));
    const r = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('rejected the object').and.contain('nothing was changed');
  });

  it('no terminal without --yes: exit 2 and no write; --dry-run writes nothing', async () => {
    let r = await run(['allow', 'add', 'ghcr.io'], env);
    expect(r.code).to.equal(2);
    r = await run(['allow', 'add', 'ghcr.io', '--dry-run'], env);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('Dry run: nothing was written.');
    expect(srv.count({verb: 'update'}) + srv.count({verb: 'create'})).to.equal(0);
  });

  it('creates images.config.openshift.io/cluster when the cluster has none', async () => {
    srv.remove('images', 'cluster');
    const r = await run(['search', 'add', 'registry.example.com', '--yes', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).result.applied[0]).to.include({kind: 'Image', action: 'create'});
    expect((srv.get('images', 'cluster') as Obj).spec).to.deep.equal({registrySources: {containerRuntimeSearchRegistries: ['registry.example.com']}});
    expect(srv.count({verb: 'create', resource: 'images', status: 201})).to.equal(1);
  });

  it('no-ops exit 0 without writing', async () => {
    const r = await run(['allow', 'add', 'quay.io', '--yes'], env);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('No change');
    const r2 = await run(['insecure', 'remove', 'absent.example.com', '--yes', '--json'], env);
    expect(JSON.parse(r2.stdout).result.noop).to.equal(true);
    expect(srv.count({verb: 'update'})).to.equal(0);
  });

  it('payload blocking without a digest mirror is refused with the mirror command', async () => {
    srv.modify('images', 'cluster', (o) => ((o.spec as Record<string, unknown>).registrySources = {}));
    const r = await run(['block', 'add', 'quay.io', '--yes'], env);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('MCO would silently drop').and.contain('oc registries mirror add quay.io/openshift-release-dev/ocp-release');
    expect(srv.count({verb: 'update'})).to.equal(0);
  });

  it('kubeconfig merged like kubectl: KUBECONFIG list and --context', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'kube-')), 'other');
    writeFileSync(other, srv.kubeconfig({context: 'broken', user: 'bob', token: 'nope'}).replace(srv.url, 'http://127.0.0.1:9'));
    // First file's current-context wins (kubectl); a missing file in the list is skipped.
    const merged = {KUBECONFIG: `/nonexistent/config:${other}:${srv.writeKubeconfig({context: 'lab', user: 'alice', token: 'tok-alice'})}`};
    let r = await run(['allow', 'list'], merged);
    expect(r.code).to.equal(3);
    r = await run(['allow', 'list', '--context', 'lab'], merged);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('quay.io\nregistry.redhat.io\nimage-registry.openshift-image-registry.svc:5000\n');
    r = await run(['allow', 'list', '--context', 'nope'], merged);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('context nope is not in the kubeconfig');
  });

  it('trust-ca add on a live cluster creates the ConfigMap, then sets spec.additionalTrustedCA.name', async () => {
    const r = await run(['trust-ca', 'add', 'registry.lab.example.com:5000', '--cert', join(ROOT, 'test/fixtures/certs/ca.pem'), '--yes'], env);
    expect(r.code, r.stderr).to.equal(0);
    const cm = srv.get('configmaps', 'registry-cas', 'openshift-config') as Obj;
    expect(Object.keys(cm.data as object)).to.deep.equal(['registry.lab.example.com..5000']);
    expect((srv.get('images', 'cluster') as Obj).spec!.additionalTrustedCA).to.deep.equal({name: 'registry-cas'});
    expect(srv.requests.filter((q) => q.verb === 'create' || q.verb === 'update').map((q) => `${q.verb} ${q.resource}`)).to.deep.equal(['create configmaps', 'update images']);
    const l = await run(['trust-ca', 'list'], env);
    expect(l.stdout).to.match(/^registry.lab.example.com:5000\t\d+ days\tCA\tCN=Lab Registry CA, O=Example\n$/);
    const r2 = await run(['trust-ca', 'add', 'registry.example.com', '--cert', join(ROOT, 'test/fixtures/certs/ca2.pem'), '--yes'], env);
    expect(r2.code, r2.stderr).to.equal(0);
    expect(Object.keys((srv.get('configmaps', 'registry-cas', 'openshift-config') as Obj).data as object).sort()).to.deep.equal(['registry.example.com', 'registry.lab.example.com..5000']);
  });

  it('--wait follows the pools until updated, with progress on stderr', async () => {
    let step = 0;
    const timer = setInterval(() => {
      const img = srv.get('images', 'cluster') as Obj;
      if (!JSON.stringify(img.spec).includes('ghcr.io')) return;
      step++;
      for (const name of ['master', 'worker']) {
        srv.modify('machineconfigpools', name, (o) => {
          const spec = o.spec as {configuration: {name: string}};
          const st = o.status as Record<string, unknown> & {configuration: {name: string}};
          spec.configuration.name = `rendered-${name}-0002`;
          st.updatedMachineCount = Math.min(3, step - 1);
          if (step >= 4) st.configuration = {name: `rendered-${name}-0002`};
        });
      }
      if (step >= 4) clearInterval(timer);
    }, 60);
    const r = await run(['allow', 'add', 'ghcr.io', '--yes', '--wait', '--timeout', '30s'], {...env, OC_REGISTRIES_WAIT_INTERVAL_MS: '40'});
    clearInterval(timer);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('pool worker: 3/3 updated, 3 ready, 0 degraded');
    expect(r.stderr).to.match(/pool worker: [012]\/3 updated/);
  });

  it('--wait: a degraded pool is exit 3 with the pool message; a timeout is exit 3', async () => {
    srv.onRequest = (rec) => {
      if (rec.verb === 'update' && rec.resource === 'images') {
        setTimeout(() => {
          srv.modify('machineconfigpools', 'worker', (o) => {
            (o.spec as {configuration: {name: string}}).configuration.name = 'rendered-worker-0002';
            const st = o.status as {degradedMachineCount: number; conditions: Array<Record<string, string>>};
            st.degradedMachineCount = 1;
            st.conditions = [{type: 'NodeDegraded', status: 'True', message: 'Node worker-1 is reporting: "failed to reload crio"'}];
          });
        }, 50);
      }
    };
    let r = await run(['allow', 'add', 'ghcr.io', '--yes', '--wait'], {...env, OC_REGISTRIES_WAIT_INTERVAL_MS: '40'});
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('pool worker is degraded: NodeDegraded: Node worker-1 is reporting: "failed to reload crio"');
    srv.onRequest = undefined;
    srv.put(pool('worker'));
    r = await run(['allow', 'add', 'ghcr2.io', '--yes', '--wait', '--timeout', '1s'], {...env, OC_REGISTRIES_WAIT_INTERVAL_MS: '100'});
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('timed out');
  });

  it('20 concurrent `allow add` processes with distinct entries: all 20 end up in the object', async () => {
    const entries = Array.from({length: 20}, (_, i) => `team${i}.registry.example.com`);
    const results = await Promise.all(entries.map((e) => runSpawn(['allow', 'add', e, '--yes', '--json'], env)));
    for (const r of results) expect(r.code, r.stderr).to.equal(0);
    const list = allowed(srv)!;
    expect(list.filter((x) => entries.includes(x)).sort()).to.deep.equal([...entries].sort());
    expect(list).to.have.length(23);
    const attempts = results.map((r) => JSON.parse(r.stdout).result.attempts as number);
    // Real optimistic concurrency happened: some writers lost a race and re-applied.
    expect(srv.count({verb: 'update', resource: 'images', status: 409})).to.equal(attempts.reduce((a, b) => a + b, 0) - 20);
  });
});
