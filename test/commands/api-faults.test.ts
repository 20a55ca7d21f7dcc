/**
 * Transient API failures, --request-timeout, and servers that are not OpenShift:
 * the real CLI in-process against the fake API server with injected faults.
 */
import {expect} from 'chai';
import {DEFAULT_RESOURCES, FakeApiServer} from '../support/fake-apiserver.js';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {clusterObjects, ROOT, run, startAllowlistCluster} from '../support/cluster-fixture.js';

type Obj = Record<string, unknown> & {spec?: Record<string, unknown>};
const allowed = (srv: FakeApiServer): string[] => (((srv.get('images', 'cluster') as Obj).spec?.registrySources as {allowedRegistries?: string[]} | undefined)?.allowedRegistries ?? []);

describe('transient API failures are retried, every call is bounded (--request-timeout)', function () {
  this.timeout(60_000);
  let srv: FakeApiServer;
  let env: Record<string, string>;
  beforeEach(async () => {
    ({srv, env} = await startAllowlistCluster());
  });
  afterEach(() => srv.close());

  it('503s and a 429 with Retry-After on reads are retried; the edit lands', async () => {
    srv.fault({verb: 'get', resource: 'images', status: 503, times: 2});
    srv.fault({verb: 'list', resource: 'machineconfigpools', status: 429, headers: {'Retry-After': '2'}, times: 1});
    const r = await run(['allow', 'add', 'ghcr.io', '--yes'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(allowed(srv)).to.include('ghcr.io');
    expect(srv.count({verb: 'get', resource: 'images', status: 503})).to.equal(2);
    expect(srv.count({verb: 'list', resource: 'machineconfigpools', status: 429})).to.equal(1);
  });

  it('a dropped connection on a read is retried', async () => {
    srv.fault({verb: 'list', resource: 'imagedigestmirrorsets', destroy: true, times: 1});
    const r = await run(['allow', 'list'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('quay.io\n');
  });

  it('a 500 on a write that carries a resourceVersion is retried; the write lands once', async () => {
    srv.fault({verb: 'update', resource: 'images', status: 500, times: 1});
    const r = await run(['allow', 'add', 'ghcr.io', '--yes', '--json'], env);
    expect(r.code, r.stderr).to.equal(0);
    expect(srv.count({verb: 'update', resource: 'images', status: 500})).to.equal(1);
    expect(srv.count({verb: 'update', resource: 'images', status: 200})).to.equal(1);
    expect(allowed(srv)).to.deep.equal(['quay.io', 'ghcr.io']);
  });

  it('retries are bounded: a server that keeps answering 503 ends with exit 3', async () => {
    srv.fault({verb: 'get', resource: 'images', status: 503});
    const r = await run(['allow', 'list'], env);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('answered 503');
    expect(srv.count({verb: 'get', resource: 'images'})).to.equal(5);
  });

  it('a server that accepts and never answers: exit 3 naming the server, after --request-timeout', async () => {
    srv.fault({verb: 'get', resource: 'images', hang: true});
    const started = Date.now();
    const r = await run(['allow', 'list', '--request-timeout', '300ms'], env);
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain(srv.url).and.contain('did not answer').and.contain('--request-timeout');
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('error:'))).to.have.length(1);
    expect(Date.now() - started).to.be.lessThan(10_000);
  });

  it('--request-timeout is on every command that talks to the API', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {flags: Record<string, unknown>}>};
    const live = Object.entries(manifest.commands).filter(([, c]) => 'kubeconfig' in c.flags);
    expect(live.map(([id]) => id)).to.include.members(['allow:add', 'status', 'render', 'explain', 'verify', 'mirror:migrate', 'trust-ca:list', 'mirror:list']);
    for (const [id, c] of live) expect(c.flags, id).to.have.property('request-timeout');
    const bad = await run(['allow', 'list', '--request-timeout', 'soon'], env);
    expect(bad.code).to.equal(2);
  });
});

describe('a server that is not OpenShift is not an empty OpenShift', function () {
  this.timeout(60_000);
  let srv: FakeApiServer;
  afterEach(() => srv.close());

  const expectNotOpenShift = (r: {code: number; stdout: string; stderr: string}) => {
    expect(r.code, r.stderr).to.equal(3);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('hint:'));
    expect(lines).to.deep.equal([`error: ${srv.url} is not an OpenShift cluster: config.openshift.io/v1 is not served`]);
    expect(r.stdout).to.not.contain('Plan');
    expect(r.stderr + r.stdout).to.not.match(/<html|<body|<h1/i);
  };

  it('plain Kubernetes: every live command says so in one line, exit 3, no plan, nothing written', async () => {
    srv = await FakeApiServer.start({resources: DEFAULT_RESOURCES.filter((r) => r.group !== 'config.openshift.io' && r.group !== 'operator.openshift.io' && r.group !== 'machineconfiguration.openshift.io')});
    const env = {KUBECONFIG: srv.writeKubeconfig()};
    for (const cmd of [['allow', 'add', 'ghcr.io', '--yes'], ['status'], ['render'], ['allow', 'list'], ['mirror', 'migrate', '--yes'], ['trust-ca', 'list']]) {
      expectNotOpenShift(await run(cmd, env));
    }
    expect(srv.requests.filter((q) => q.method !== 'GET')).to.deep.equal([]);
  });

  it('a proxy answering an HTML page: the same one line, no HTML', async () => {
    srv = await FakeApiServer.start({objects: clusterObjects()});
    srv.fault({status: 200, body: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>', contentType: 'text/html'});
    expectNotOpenShift(await run(['allow', 'add', 'ghcr.io', '--yes'], {KUBECONFIG: srv.writeKubeconfig()}));
  });

  it('a proxy error page (502 HTML) is a cluster error without the HTML', async () => {
    srv = await FakeApiServer.start({objects: clusterObjects()});
    srv.fault({status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', contentType: 'text/html'});
    const r = await run(['status'], {KUBECONFIG: srv.writeKubeconfig()});
    expect(r.code).to.equal(3);
    expect(r.stderr).to.contain('502').and.contain(srv.url);
    expect(r.stderr).to.not.match(/<html|<h1|<title/i);
  });

  it('the check is one discovery request per run', async () => {
    srv = await FakeApiServer.start({objects: clusterObjects()});
    const r = await run(['status'], {KUBECONFIG: srv.writeKubeconfig()});
    expect(r.code, r.stderr).to.equal(0);
    expect(srv.requests.filter((q) => q.path === '/apis/config.openshift.io/v1')).to.have.length(1);
  });
});
