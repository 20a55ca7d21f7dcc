/** status against the fake API server, through bin/run.js. */
import {expect} from 'chai';
import type {FakeApiServer} from '../support/fake-apiserver.js';
import {RENDERED, renderedFiles, runCli, startCluster} from '../support/verify-cluster.js';
import type {StatusResult} from '../../src/services/status.js';

describe('status (fake cluster)', function () {
  this.timeout(30000);
  let srv: FakeApiServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('one screen: registry sources, CA with expiry, mirror sets, pools with their rendered config', async () => {
    srv = await startCluster();
    const r = await runCli(srv, ['status']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^ {2}blocked: {3}untrusted\.example\.com$/m);
    expect(r.stdout).to.match(/^ {2}search: {4}registry\.example\.com$/m);
    expect(r.stdout).to.match(/^ {2}registry\.example\.com:5000 {2}CN=cfglab TEST-ONLY CA \(loopback conformance lab\) {2}\d+ days left \(2126-11-02\)$/m);
    expect(r.stdout).to.contain('ImageDigestMirrorSet/team-mirror  registry.example.com/team -> mirror.example.net/team');
    expect(r.stdout).to.contain('  worker  2/2 updated, 0 degraded  updated');
    expect(r.stdout).to.contain(`    ${RENDERED.worker}: has the rendered files`);
  });

  it('--json: warnings of the editing commands, degraded pool, a rendered config that lacks the files', async () => {
    // The worker pool's rendered config is missing the search drop-in and the pool is degraded.
    const files = renderedFiles().filter((f) => !f.path.startsWith('/etc/docker') && !f.path.includes('registries.conf.d'));
    srv = await startCluster({degraded: {pool: 'worker', message: 'Node worker-0 is reporting: "boom"'}, renderedFiles: {worker: files}});
    srv.modify('images', 'cluster', (o) => {
      (o.spec as {registrySources: Record<string, unknown>}).registrySources.containerRuntimeSearchRegistries = ['registry.example.com', 'docker.io'];
    });
    const r = await runCli(srv, ['status', '--json']);
    expect(r.code).to.equal(0);
    const env = JSON.parse(r.stdout) as {status: number; result: StatusResult; warnings: Array<{code: string}>};
    expect(env.result.warnings.map((w) => w.code)).to.deep.equal(['search-public-registry']);
    expect(env.warnings.map((w) => w.code)).to.deep.equal(['search-public-registry']);
    const worker = env.result.pools.find((p) => p.name === 'worker')!;
    expect(worker).to.include({degraded: true, degradedMessage: 'Node worker-0 is reporting: "boom"', renderedConfigHasFiles: 'no'});
    expect(worker.differingFiles).to.deep.equal(['/etc/containers/registries.conf.d/01-image-searchRegistries.conf (missing)']);
    // The generated MachineConfig still holds the old search list.
    expect(worker.generatedMachineConfigState).to.equal('differs');
    const master = env.result.pools.find((p) => p.name === 'master')!;
    expect(master.renderedConfigHasFiles).to.equal('no');
    expect(env.result.additionalTrustedCA.keys[0]!.certificates[0]!.notAfter).to.equal('2126-11-02T08:15:28.000Z');
  });

  it('-f: the configuration part only, no cluster needed', async () => {
    const {spawnSync} = await import('node:child_process');
    const {BIN} = await import('../support/verify-cluster.js');
    const r = spawnSync(process.execPath, [BIN, 'status', '-f', 'test/fixtures/verify/cluster.yaml', '--json'], {encoding: 'utf8', env: {...process.env, KUBECONFIG: '/nonexistent'}});
    expect(r.status).to.equal(0);
    const env = JSON.parse(r.stdout) as {result: StatusResult};
    expect(env.result.source).to.equal('file');
    expect(env.result.pools).to.deep.equal([]);
    expect(env.result.registrySources.blockedRegistries).to.deep.equal(['untrusted.example.com']);
  });
});
