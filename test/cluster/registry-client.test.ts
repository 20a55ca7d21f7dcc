/**
 * The registry client against small registries on 127.0.0.1 (test/support/fake-registry.ts):
 * anonymous, Basic, Bearer (token endpoint, one token per scope), 404, 401, digest checks,
 * TLS with the e2e test CA (a server cert signed for 127.0.0.1 at test time with openssl),
 * insecure registries (no verification, HTTP fallback), refused connections and timeouts.
 */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type AddressInfo, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parseChallenge, RegistryClient, type ProbeTarget} from '../../src/cluster/registry-client.js';
import {FakeRegistry, manifestFor} from '../support/fake-registry.js';

const CA_DIR = join(import.meta.dirname, '..', 'e2e', 'testca');
const CA = readFileSync(join(CA_DIR, 'ca.crt'), 'utf8');

/** A server key and cert for 127.0.0.1 signed by the e2e test CA. */
export function testServerCert(): {cert: string; key: string} {
  const d = mkdtempSync(join(tmpdir(), 'regtls-'));
  try {
    const run = (args: string[]) => {
      const r = spawnSync('openssl', args, {encoding: 'utf8'});
      if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
    };
    run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', join(d, 'k.pem'), '-out', join(d, 'r.csr')]);
    writeFileSync(join(d, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    run(['x509', '-req', '-in', join(d, 'r.csr'), '-CA', join(CA_DIR, 'ca.crt'), '-CAkey', join(CA_DIR, 'ca.key'), '-set_serial', '0x1234', '-days', '2', '-extfile', join(d, 'ext'), '-out', join(d, 'c.pem')]);
    return {cert: readFileSync(join(d, 'c.pem'), 'utf8'), key: readFileSync(join(d, 'k.pem'), 'utf8')};
  } finally {
    rmSync(d, {recursive: true, force: true});
  }
}

const secure = {insecure: false, cas: []};
const insecure = {insecure: true, cas: []};

describe('cluster/registry-client', function () {
  this.timeout(20_000);
  const open: FakeRegistry[] = [];
  let client: RegistryClient;
  const start = async (o: ConstructorParameters<typeof FakeRegistry>[0] = {}) => {
    const r = await FakeRegistry.start(o);
    open.push(r);
    return r;
  };
  const target = (r: FakeRegistry, repo: string, ref: string, extra: Partial<ProbeTarget> = {}): ProbeTarget => ({host: r.host, repo, ref, trust: insecure, ...extra});
  beforeEach(() => (client = new RegistryClient({timeoutMs: 2000, perHost: 4})));
  afterEach(async () => {
    client.close();
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  it('challenge-parsing-reads-quoted-and-bare-params', () => {
    expect(parseChallenge('Bearer realm="https://a/token",service="reg",scope="repository:x:pull"')).to.deep.equal({scheme: 'bearer', params: {realm: 'https://a/token', service: 'reg', scope: 'repository:x:pull'}});
    expect(parseChallenge('Basic realm=fake')).to.deep.equal({scheme: 'basic', params: {realm: 'fake'}});
    expect(parseChallenge(undefined).scheme).to.equal('none');
  });

  it('anonymous-digest-served-with-accept-headers-over-http-fallback', async () => {
    const r = await start();
    const d = r.push('lab/app', 'v1');
    const seen: string[] = [];
    const res = await client.probe(target(r, 'lab/app', d));
    expect(res).to.deep.equal({status: 'served', httpStatus: 200, digest: d});
    seen.push(...r.log.map((l) => `${l.method} ${l.path} ${l.status}`));
    expect(seen).to.deep.equal(['GET /v2/ 200', `HEAD /v2/lab/app/manifests/${d} 200`]);
    expect(r.log[1]!.accept!.split(', ')).to.have.members([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });

  it('missing-manifest-is-missing-with-404', async () => {
    const r = await start();
    r.push('lab/app', 'v1');
    expect(await client.probe(target(r, 'lab/app', 'v2'))).to.deep.equal({status: 'missing', httpStatus: 404, reason: 'manifest unknown (HTTP 404)'});
  });

  it('basic-auth-without-credentials-is-unauthorized-and-with-them-served', async () => {
    const r = await start({auth: {kind: 'basic', username: 'puller', password: 's3cret'}});
    const d = r.push('lab/app', 'v1');
    const no = await client.probe(target(r, 'lab/app', d));
    expect(no.status).to.equal('unauthorized');
    expect(no.httpStatus).to.equal(401);
    const bad = await client.probe(target(r, 'lab/app', d, {credentials: {username: 'puller', password: 'wrong'}}));
    expect(bad.status).to.equal('unauthorized');
    expect(JSON.stringify(bad)).to.not.contain('wrong');
    const yes = await client.probe(target(r, 'lab/app', d, {credentials: {username: 'puller', password: 's3cret'}}));
    expect(yes.status).to.equal('served');
    expect(r.log.filter((l) => l.method === 'HEAD').map((l) => l.auth ?? 'none')).to.deep.equal(['none', 'Basic', 'Basic']);
  });

  it('bearer-flow-fetches-one-token-per-scope-and-reuses-it', async () => {
    const r = await start({auth: {kind: 'bearer', username: 'robot', password: 'tok3n'}});
    const d1 = r.push('lab/app', 'v1');
    const d2 = r.push('lab/app', 'v2');
    const d3 = r.push('lab/other', 'v1');
    const creds = {credentials: {username: 'robot', password: 'tok3n'}};
    const results = await Promise.all([d1, d2, d1, d2].map((d) => client.probe(target(r, 'lab/app', d, creds))));
    expect(results.map((x) => x.status)).to.deep.equal(['served', 'served', 'served', 'served']);
    expect((await client.probe(target(r, 'lab/other', d3, creds))).status).to.equal('served');
    expect(r.tokensIssued).to.equal(2);
    expect(r.count((l) => l.path === '/v2/')).to.equal(1);
  });

  it('bearer-without-credentials-is-unauthorized-when-the-token-endpoint-refuses', async () => {
    const r = await start({auth: {kind: 'bearer', username: 'robot', password: 'tok3n'}});
    const d = r.push('lab/app', 'v1');
    const res = await client.probe(target(r, 'lab/app', d));
    expect(res.status).to.equal('unauthorized');
    expect(res.reason).to.match(/token endpoint .* refused an anonymous request \(HTTP 401\)/);
  });

  it('bearer-anonymous-token-serves-public-images', async () => {
    const r = await start({auth: {kind: 'bearer', username: 'robot', password: 'x', anonymousPull: true}});
    const d = r.push('lab/app', 'v1');
    expect((await client.probe(target(r, 'lab/app', d))).status).to.equal('served');
  });

  it('a-challenge-only-on-the-repository-is-followed-once', async () => {
    const r = await start({auth: {kind: 'bearer', username: 'robot', password: 'tok3n'}, openPing: true});
    const d = r.push('lab/app', 'v1');
    const res = await client.probe(target(r, 'lab/app', d, {credentials: {username: 'robot', password: 'tok3n'}}));
    expect(res.status).to.equal('served');
    expect(r.log.filter((l) => l.path.includes('/manifests/')).map((l) => `${l.status} ${l.auth ?? 'none'}`)).to.deep.equal(['401 none', '200 Bearer']);
  });

  it('a-registry-without-head-is-asked-with-get', async () => {
    const r = await start({noHead: true});
    const d = r.push('lab/app', 'v1');
    expect(await client.probe(target(r, 'lab/app', d))).to.deep.equal({status: 'served', httpStatus: 200, digest: d});
    expect(r.log.filter((l) => l.path.includes('/manifests/')).map((l) => `${l.method} ${l.status}`)).to.deep.equal(['HEAD 405', 'GET 200']);
  });

  it('digest-without-header-is-checked-by-hashing-the-body', async () => {
    const r = await start({noDigestHeader: true});
    const d = r.push('lab/app', 'v1');
    expect(await client.probe(target(r, 'lab/app', d))).to.deep.equal({status: 'served', httpStatus: 200, digest: d});
    expect(r.log.map((l) => l.method)).to.deep.equal(['GET', 'HEAD', 'GET']);
  });

  it('digest-mismatch-is-missing', async () => {
    const r = await start({noDigestHeader: true, corruptBody: true});
    const d = r.push('lab/app', 'v1');
    const res = await client.probe(target(r, 'lab/app', d));
    expect(res.status).to.equal('missing');
    expect(res.reason).to.match(/^digest mismatch: the registry serves sha256:/);
  });

  it('tag-pull-is-served-and-reports-the-digest', async () => {
    const r = await start();
    const d = r.push('lab/app', 'v1');
    expect(await client.probe(target(r, 'lab/app', 'v1'))).to.deep.equal({status: 'served', httpStatus: 200, digest: d});
    expect(manifestFor('lab/app:v1').digest).to.equal(d);
  });

  describe('TLS', function () {
    let tls: {cert: string; key: string};
    before(() => (tls = testServerCert()));

    it('tls-error-without-the-ca-and-served-with-it', async () => {
      const r = await start({tls});
      const d = r.push('lab/app', 'v1');
      const no = await client.probe(target(r, 'lab/app', d, {trust: secure}));
      expect(no.status).to.equal('tls-error');
      expect(no.reason).to.match(/x509: .*(self-signed|unable to verify|issuer)/i);
      const yes = await client.probe(target(r, 'lab/app', d, {trust: {insecure: false, cas: [CA]}}));
      expect(yes.status).to.equal('served');
    });

    it('insecure-registry-skips-verification-over-https', async () => {
      const r = await start({tls});
      const d = r.push('lab/app', 'v1');
      expect((await client.probe(target(r, 'lab/app', d, {trust: insecure}))).status).to.equal('served');
    });

    it('plain-http-registry-not-marked-insecure-is-a-tls-error', async () => {
      const r = await start();
      const d = r.push('lab/app', 'v1');
      const res = await client.probe(target(r, 'lab/app', d, {trust: secure}));
      expect(res.status).to.equal('tls-error');
      expect(res.reason).to.contain('does not speak TLS');
    });
  });

  it('refused-connection-is-unreachable', async () => {
    const r = await start();
    const host = r.host;
    await r.close();
    open.pop();
    const res = await client.probe({host, repo: 'lab/app', ref: 'v1', trust: insecure});
    expect(res.status).to.equal('unreachable');
    expect(res.reason).to.contain('ECONNREFUSED');
  });

  it('a-registry-that-never-answers-times-out', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const c = new RegistryClient({timeoutMs: 150, perHost: 2});
    try {
      const res = await c.probe({host, repo: 'lab/app', ref: 'v1', trust: secure});
      expect(res.status).to.equal('timeout');
      expect(res.reason).to.contain('no answer within 150 ms');
    } finally {
      c.close();
      for (const s of sockets) s.destroy();
      await new Promise((res) => silent.close(res));
    }
  });

  it('per-host-limit-bounds-requests-in-flight', async () => {
    const r = await start({latencyMs: 30});
    const digests = Array.from({length: 12}, (_, i) => r.push('lab/app', `v${i}`));
    const res = await Promise.all(digests.map((d) => client.probe(target(r, 'lab/app', d))));
    expect(res.every((x) => x.status === 'served')).to.equal(true);
    expect(r.peakInflight).to.equal(4);
    // One ping over HTTPS (refused: the server speaks HTTP), one over HTTP, then 12 HEADs on at
    // most 4 keep-alive connections (+1 for the failed HTTPS attempt).
    expect(client.requests).to.equal(14);
    expect(r.connections).to.be.at.most(5);
  });
});
