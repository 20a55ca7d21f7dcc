/**
 * `mirror check` through the real CLI (bin/run.js): -f manifests with registries on
 * 127.0.0.1, --images files, usage errors, and live mode against the fake API server
 * (the global pull secret and --from-pods).
 */
import {expect} from 'chai';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ImageCheck} from '../../src/model/mirror-check.js';
import {clusterObjects, run} from '../support/cluster-fixture.js';
import {FakeApiServer, type KubeObject} from '../support/fake-apiserver.js';
import {FakeRegistry} from '../support/fake-registry.js';

const idms = (source: string, mirrors: string[]): KubeObject => ({apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: {name: 'm'}, spec: {imageDigestMirrors: [{source, mirrors}]}});

describe('commands/mirror check', function () {
  this.timeout(60_000);
  let dir: string;
  let mirror: FakeRegistry;
  let locked: FakeRegistry;
  let digest: string;
  let file: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirror-check-cmd-'));
    mirror = await FakeRegistry.start();
    locked = await FakeRegistry.start({auth: {kind: 'basic', username: 'u', password: 'pw-never-printed'}});
    digest = mirror.push('team/app', 'v1');
    locked.push('team/app', 'v1');
    file = join(dir, 'cluster.yaml');
    writeFileSync(
      file,
      `apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec:
  registrySources:
    insecureRegistries: ["${mirror.host}", "${locked.host}", "127.0.0.1:9"]
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: m}
spec:
  imageDigestMirrors:
  - source: 127.0.0.1:9/team
    mirrors: ["${mirror.host}/team"]
  - source: 127.0.0.1:9/locked
    mirrors: ["${locked.host}/team"]
    mirrorSourcePolicy: NeverContactSource
`,
    );
  });
  after(async () => {
    await mirror.close();
    await locked.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('table-with-a-summary-line-and-exit-0-when-every-image-is-served', async () => {
    const r = await run(['mirror', 'check', `127.0.0.1:9/team/app@${digest}`, '-f', file]);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^IMAGE +VERDICT +SERVED BY +FIRST FAILURE$/);
    expect(lines[1]).to.match(new RegExp(`^127\\.0\\.0\\.1:9/team/app@sha256:[0-9a-f]{12}… +mirror +${mirror.host.replace(/\./g, '\\.')}/team +-$`));
    expect(lines.at(-1)).to.equal('1 image: 1 from a mirror, 0 from the source, 0 failing, 0 rejected; credentials: none (anonymous)');
    expect(r.stderr).to.equal('');
  });

  it('images-file-with-comments-json-envelope-and-exit-1-on-failure', async () => {
    const list = join(dir, 'images.txt');
    writeFileSync(list, `# release images\n127.0.0.1:9/team/app@${digest}   # on the mirror\n\n127.0.0.1:9/locked/app@${digest}\n`);
    const r = await run(['mirror', 'check', '--images', list, '-f', file, '--json']);
    expect(r.code, r.stderr).to.equal(1);
    const doc = JSON.parse(r.stdout) as {status: number; result: {images: ImageCheck[]; summary: Record<string, number>}};
    expect(doc.status).to.equal(1);
    expect(doc.result.summary).to.deep.equal({mirror: 1, source: 0, fail: 1, rejected: 0});
    const failed = doc.result.images[1]!;
    expect(failed).to.deep.include({image: `127.0.0.1:9/locked/app@${digest}`, verdict: 'fail', servedBy: null});
    expect(failed.endpoints.map((e) => [e.location, e.status, e.httpStatus])).to.deep.equal([
      [`${locked.host}/team`, 'unauthorized', 401],
      ['127.0.0.1:9/locked', 'skipped', undefined],
    ]);
  });

  it('pull-secret-file-makes-the-locked-mirror-serve-and-is-never-printed', async () => {
    const ps = join(dir, 'auth.json');
    writeFileSync(ps, JSON.stringify({auths: {[locked.host]: {auth: Buffer.from('u:pw-never-printed').toString('base64')}}}));
    const r = await run(['mirror', 'check', `127.0.0.1:9/locked/app@${digest}`, '-f', file, '--pull-secret', ps]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`credentials: ${ps}`);
    expect(r.stdout + r.stderr).to.not.match(/pw-never-printed|dTpwdy1uZXZlci1wcmludGVk/);
  });

  it('usage-errors-exit-2-with-one-line', async () => {
    const none = await run(['mirror', 'check', '-f', file]);
    expect(none.code).to.equal(2);
    expect(none.stderr.trim()).to.equal('error: nothing to check: give IMAGE_REF arguments, --images FILE or --from-pods');
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, `127.0.0.1:9/team/app:v1\nUPPER/Case:1\n`);
    const r = await run(['mirror', 'check', '--images', bad, '-f', file]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(new RegExp(`^error: ${bad.replace(/\./g, '\\.')}:2: IMAGE_REF "UPPER/Case:1": `));
    const ps = await run(['mirror', 'check', 'x.example.com/a:1', '-f', file, '--pull-secret', join(dir, 'missing.json')]);
    expect(ps.code).to.equal(2);
    expect(ps.stderr).to.contain('--pull-secret');
  });

  describe('live', () => {
    let srv: FakeApiServer;
    afterEach(() => srv?.close());

    it('uses-the-global-pull-secret-and-checks-every-pod-image-by-its-status-digest', async () => {
      const pullSecret = {auths: {[locked.host]: {auth: Buffer.from('u:pw-never-printed').toString('base64')}}};
      const pod = (ns: string, name: string, image: string, imageID?: string): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name, namespace: ns},
        spec: {containers: [{name: 'c', image}]},
        status: {containerStatuses: [{name: 'c', ...(imageID ? {imageID} : {})}]},
      });
      srv = await FakeApiServer.start({
        objects: [
          ...clusterObjects({registrySources: {insecureRegistries: [mirror.host, locked.host, '127.0.0.1:9']}}),
          idms('127.0.0.1:9/locked', [`${locked.host}/team`]),
          {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'pull-secret', namespace: 'openshift-config'}, type: 'kubernetes.io/dockerconfigjson', data: {'.dockerconfigjson': Buffer.from(JSON.stringify(pullSecret)).toString('base64')}},
          pod('team-a', 'web-1', '127.0.0.1:9/locked/app:v1', `127.0.0.1:9/locked/app@${digest}`),
          pod('team-a', 'web-2', '127.0.0.1:9/locked/app:v1', `127.0.0.1:9/locked/app@${digest}`),
        ],
      });
      const r = await run(['mirror', 'check', '--from-pods', '--json'], {KUBECONFIG: srv.writeKubeconfig()});
      expect(r.code, r.stderr).to.equal(0);
      const doc = JSON.parse(r.stdout) as {result: {images: ImageCheck[]; credentials: string}};
      expect(doc.result.credentials).to.equal('Secret openshift-config/pull-secret');
      expect(doc.result.images.map((i) => [i.image, i.verdict, i.servedBy])).to.deep.equal([[`127.0.0.1:9/locked/app@${digest}`, 'mirror', `${locked.host}/team`]]);
      expect(r.stdout).to.not.contain('pw-never-printed');
    });

    it('cluster-errors-exit-3', async () => {
      srv = await FakeApiServer.start({objects: clusterObjects()});
      srv.fault({verb: 'list', resource: 'pods', status: 403});
      const r = await run(['mirror', 'check', '--from-pods'], {KUBECONFIG: srv.writeKubeconfig()});
      expect(r.code).to.equal(3);
      expect(r.stderr).to.match(/^error: list pods \(all namespaces\): forbidden for user/);
    });
  });
});
