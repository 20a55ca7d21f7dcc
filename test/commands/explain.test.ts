import {expect} from 'chai';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runInProcess} from '../support/in-process.js';

const cli = async (...args: string[]) => {
  const r = await runInProcess(args);
  return {status: r.code, stdout: r.stdout, stderr: r.stderr};
};

const MANIFEST = `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
  registrySources:
    blockedRegistries: [blocked.example.com]
    containerRuntimeSearchRegistries: [mirror.example.com, quay.io]
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: m
spec:
  imageDigestMirrors:
  - source: quay.io/team
    mirrors: [mirror.example.com:5000/team]
`;

describe('commands/explain', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'explain-cmd-'));
    file = join(dir, 'cluster.yaml');
    writeFileSync(file, MANIFEST);
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('help-shows-a-runnable-example', async () => {
    const r = await cli('explain', '--help');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.contain('explain quay.io/foo/bar:1.2 -f manifests/');
  });

  it('human-output-is-a-trace-ending-in-the-result', async () => {
    const r = await cli('explain', `quay.io/team/app@sha256:${'c'.repeat(64)}`, '-f', file);
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).to.equal('quay.io/team/app@sha256:cccccccccccc…  (digest pull)');
    expect(r.stdout).to.contain('registries.conf entry: "quay.io/team" in /etc/containers/registries.conf');
    expect(r.stdout).to.match(/1\. mirror mirror\.example\.com:5000\/team\/app@sha256:c{12}… {2}https, CAs: system only \(\/etc\/docker\/certs\.d\/mirror\.example\.com:5000 absent\)/);
    expect(r.stdout).to.match(/policy\.json: default -> insecureAcceptAnything: accept \(judged on quay\.io\/team\/app@sha256:c{12}…, not on the mirror\)/);
    expect(r.stdout).to.match(/result: pulls from mirror\.example\.com:5000\/team\/app@/);
  });

  it('json-envelope-carries-the-structured-result', async () => {
    const r = await cli('explain', 'blocked.example.com/x:1', '-f', file, '--json');
    expect(r.status, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).to.equal(0);
    expect(doc.result.candidates[0]).to.include({reference: 'blocked.example.com/x:1', outcome: 'blocked'});
    expect(doc.result.candidates[0].policy).to.include({scope: 'blocked.example.com', verdict: 'reject'});
  });

  it('short-name-lists-candidates-from-the-search-drop-in', async () => {
    const r = await cli('explain', 'team/app', '-f', file, '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.result.shortName.candidates).to.deep.equal(['mirror.example.com/team/app:latest', 'quay.io/team/app:latest']);
    expect(doc.result.shortName.searchOrigin).to.equal('/etc/containers/registries.conf.d/01-image-searchRegistries.conf');
  });

  it('signature-requirement-names-the-policy-object-and-key', async () => {
    const r = await cli('explain', 'quay.io/openshift-release-dev/ocp-release:4.18.1', '-f', join(process.cwd(), 'examples', 'signature-policy-default.yaml'));
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('policy.json: transports.docker["quay.io/openshift-release-dev/ocp-release"] -> sigstoreSigned: signature-required');
    expect(r.stdout).to.contain('signed by ClusterImagePolicy openshift: public key sha256:3f2bac1f91d33103…, identity matchRepoDigestOrExact');
  });

  it('invalid-reference-exits-2-with-one-line', async () => {
    const r = await cli('explain', 'quay.io/UPPER', '-f', file);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('error:'))).to.have.length(1);
    expect(r.stderr).to.contain('IMAGE_REF "quay.io/UPPER"');
  });

  it('invalid-input-exits-2-like-render', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, MANIFEST.replace('blockedRegistries', 'blockedRegistrie'));
    expect((await cli('explain', 'quay.io/a:1', '-f', bad)).status).to.equal(2);
  });
});
