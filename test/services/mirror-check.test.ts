/**
 * The mirror check service in-process: manifests -> explain's endpoints -> fake
 * registries on 127.0.0.1. Verdicts, skip reasons, stop-at-first vs --all-endpoints,
 * exit statuses (0/1/5, --require-mirror), credentials per endpoint, concurrency.
 */
import {expect} from 'chai';
import {loadManifests} from '../../src/model/manifests.js';
import {exitStatus, firstFailure, type ImageCheck} from '../../src/model/mirror-check.js';
import {parsePullSecret} from '../../src/model/pull-secret.js';
import {mirrorCheck, type MirrorCheckOptions} from '../../src/services/mirror-check.js';
import {FakeRegistry} from '../support/fake-registry.js';

const opts = (o: Partial<MirrorCheckOptions> = {}): MirrorCheckOptions => ({concurrency: 8, timeoutMs: 2000, allEndpoints: false, requireMirror: false, warn: () => {}, ...o});

function manifests(yaml: string) {
  return loadManifests([{file: 'test.yaml', text: yaml}]);
}

const cluster = (insecure: string[], mirrors: string[], extra = '', policy = '') => `apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec:
  registrySources:
    insecureRegistries: ${JSON.stringify(insecure)}
${extra}---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: m}
spec:
  imageDigestMirrors:
  - source: 127.0.0.1:9/team
    mirrors: ${JSON.stringify(mirrors)}
${policy ? `    mirrorSourcePolicy: ${policy}\n` : ''}`;

describe('services/mirror-check', function () {
  this.timeout(20_000);
  let a: FakeRegistry;
  let b: FakeRegistry;
  let digest: string;
  beforeEach(async () => {
    a = await FakeRegistry.start();
    b = await FakeRegistry.start();
    digest = b.push('team/app', 'v1');
    a.push('team/app', 'other');
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });
  const insecure = () => [a.host, b.host, '127.0.0.1:9'];

  it('first-mirror-missing-second-serves-and-the-source-is-not-contacted', async () => {
    const loaded = manifests(cluster(insecure(), [`${a.host}/team`, `${b.host}/team`]));
    const r = await mirrorCheck(loaded, [{image: `127.0.0.1:9/team/app@${digest}`, origin: 'arg'}], opts());
    const img = r.images[0]!;
    expect(img.verdict).to.equal('mirror');
    expect(img.servedBy).to.equal(`${b.host}/team`);
    expect(img.endpoints.map((e) => [e.location, e.status, e.httpStatus])).to.deep.equal([
      [`${a.host}/team`, 'missing', 404],
      [`${b.host}/team`, 'served', 200],
      ['127.0.0.1:9/team', 'skipped', undefined],
    ]);
    expect(img.endpoints[2]!.reason).to.equal(`not contacted: ${b.host}/team serves the image`);
    expect(firstFailure(img)).to.equal(`${a.host}/team: missing (manifest unknown (HTTP 404))`);
    expect(r.summary).to.deep.equal({mirror: 1, source: 0, fail: 0, rejected: 0});
    expect(r.exitStatus).to.equal(0);
  });

  it('all-endpoints-probes-every-endpoint-and-keeps-the-first-that-serves', async () => {
    a.push('team/app', 'v1');
    const loaded = manifests(cluster(insecure(), [`${a.host}/team`, `${b.host}/team`]));
    const r = await mirrorCheck(loaded, [{image: `127.0.0.1:9/team/app@${digest}`, origin: 'arg'}], opts({allEndpoints: true}));
    const img = r.images[0]!;
    expect(img.servedBy).to.equal(`${a.host}/team`);
    expect(img.endpoints.map((e) => e.status)).to.deep.equal(['served', 'served', 'unreachable']);
  });

  it('tag-pull-skips-digest-only-mirrors-so-only-the-source-is-asked', async () => {
    const loaded = manifests(cluster(insecure(), [`${b.host}/team`]));
    const r = await mirrorCheck(loaded, [{image: '127.0.0.1:9/team/app:v1', origin: 'arg'}], opts());
    const img = r.images[0]!;
    expect(img.endpoints[0]).to.include({status: 'skipped', reason: 'pull-from-mirror = "digest-only" and this is a tag pull'});
    // Nothing listens on 127.0.0.1:9: nothing can be said for sure.
    expect(img.endpoints[1]!.status).to.equal('unreachable');
    expect(img.verdict).to.equal('fail');
    expect(img.uncertain).to.equal(true);
    expect(r.exitStatus).to.equal(5);
    expect(b.log).to.deep.equal([]);
  });

  it('never-contact-source-names-the-reason-and-a-missing-image-fails-for-sure', async () => {
    const loaded = manifests(cluster(insecure(), [`${a.host}/team`], '', 'NeverContactSource'));
    const r = await mirrorCheck(loaded, [{image: `127.0.0.1:9/team/app@${digest}`, origin: 'arg'}], opts({requireMirror: true}));
    const img = r.images[0]!;
    expect(img.verdict).to.equal('fail');
    expect(img.uncertain).to.equal(undefined);
    expect(img.endpoints[1]).to.include({status: 'skipped', reason: 'never contact source (mirrorSourcePolicy: NeverContactSource)'});
    expect(r.exitStatus).to.equal(1);
  });

  it('policy-rejected-and-blocked-images-are-rejected-without-any-request', async () => {
    const allow = manifests(cluster(insecure(), [`${b.host}/team`], `    allowedRegistries: ["127.0.0.1:9", "${a.host}", "${b.host}"]\n`));
    const block = manifests(cluster(insecure(), [`${b.host}/team`], `    blockedRegistries: ["blocked.example.com"]\n`));
    const rejected = await mirrorCheck(allow, [{image: 'other.example.com/x/y:1', origin: 'arg'}], opts());
    const r = await mirrorCheck(block, [{image: 'blocked.example.com/x/y:1', origin: 'arg'}], opts());
    expect([...rejected.images, ...r.images].map((i) => [i.verdict, i.reason])).to.deep.equal([
      ['rejected', 'rejected by policy (default: reject)'],
      ['rejected', 'blocked with no mirror: every source tried for blocked.example.com/x/y:1 is blocked in registries.conf'],
    ]);
    expect(rejected.requests).to.equal(0);
    expect(r.requests).to.equal(0);
    expect(r.exitStatus).to.equal(1);
  });

  it('credentials-go-to-the-endpoint-they-match-and-never-into-the-result', async () => {
    const locked = await FakeRegistry.start({auth: {kind: 'bearer', username: 'robot', password: 'hunter2-secret'}});
    try {
      const d = locked.push('team/app', 'v1');
      const loaded = manifests(cluster([...insecure(), locked.host], [`${locked.host}/team`]));
      const input = [{image: `127.0.0.1:9/team/app@${d}`, origin: 'arg'}];
      const anon = await mirrorCheck(loaded, input, opts());
      expect(anon.images[0]!.endpoints[0]!.status).to.equal('unauthorized');
      const secret = parsePullSecret(JSON.stringify({auths: {[`${locked.host}/team`]: {auth: Buffer.from('robot:hunter2-secret').toString('base64')}, [locked.host]: {auth: Buffer.from('robot:wrong').toString('base64')}}}), 'ps.json');
      const r = await mirrorCheck(loaded, input, opts({pullSecret: secret, pullSecretOrigin: 'ps.json'}));
      expect(r.images[0]!.verdict).to.equal('mirror');
      expect(r.credentials).to.equal('ps.json');
      expect(JSON.stringify(r)).to.not.match(/hunter2|cm9ib3Q6aHVudGVyMi1zZWNyZXQ=/);
    } finally {
      await locked.close();
    }
  });

  it('duplicates-are-checked-once-and-a-bad-reference-names-its-line', async () => {
    const loaded = manifests(cluster(insecure(), [`${b.host}/team`]));
    const img = {image: `127.0.0.1:9/team/app@${digest}`, origin: 'images.txt:1'};
    const r = await mirrorCheck(loaded, [img, {...img, origin: 'images.txt:2'}], opts());
    expect(r.images.length).to.equal(1);
    let err: Error | undefined;
    await mirrorCheck(loaded, [img, {image: 'Bad//Ref', origin: 'images.txt:7'}], opts()).catch((e: Error) => (err = e));
    expect(err?.message).to.match(/^images\.txt:7: IMAGE_REF "Bad\/\/Ref": /);
    expect(b.log.length).to.equal(2);
  });

  it('concurrency-bounds-requests-in-flight-per-registry', async () => {
    const slow = await FakeRegistry.start({latencyMs: 20});
    try {
      const inputs = Array.from({length: 30}, (_, i) => ({image: `127.0.0.1:9/team/app@${slow.push('team/app', `t${i}`)}`, origin: `arg ${i}`}));
      const loaded = manifests(cluster([...insecure(), slow.host], [`${slow.host}/team`]));
      const r = await mirrorCheck(loaded, inputs, opts({concurrency: 5}));
      expect(r.summary.mirror).to.equal(30);
      expect(slow.peakInflight).to.equal(5);
      // Input order is kept.
      expect(r.images.map((i) => i.image)).to.deep.equal(inputs.map((i) => i.image));
    } finally {
      await slow.close();
    }
  });
});

describe('model/mirror-check exitStatus', () => {
  const img = (verdict: ImageCheck['verdict'], statuses: Array<[string, 'mirror' | 'source']> = [], uncertain = false): ImageCheck => ({
    image: 'x',
    verdict,
    servedBy: null,
    endpoints: statuses.map(([status, role]) => ({location: 'l', role, reference: 'r', status: status as ImageCheck['endpoints'][number]['status']})),
    ...(uncertain ? {uncertain} : {}),
  });
  it('source-is-fine-unless-mirrors-are-required', () => {
    expect(exitStatus([img('mirror'), img('source')], false)).to.equal(0);
    expect(exitStatus([img('source', [['missing', 'mirror'], ['served', 'source']])], true)).to.equal(1);
    expect(exitStatus([img('source', [['timeout', 'mirror'], ['served', 'source']])], true)).to.equal(5);
  });
  it('a-certain-failure-outweighs-an-uncertain-one', () => {
    expect(exitStatus([img('fail', [], true)], false)).to.equal(5);
    expect(exitStatus([img('fail', [], true), img('rejected')], false)).to.equal(1);
  });
});
