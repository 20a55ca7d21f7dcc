import {expect} from 'chai';
import fc from 'fast-check';
import {explainImage, ExplainError, isShortName, type ExplainResult} from '../../src/model/explain.js';
import {loadNodeConfig} from '../../src/model/node-config.js';
import {parseNormalizedNamed, refString} from '../../src/model/reference.js';
import {findRegistry, pullSources} from '../../src/model/sysregistries.js';
import {loadManifests} from '../../src/model/manifests.js';
import {explainService} from '../../src/services/explain.js';

const MAIN = '/etc/containers/registries.conf';
const DROPIN = '/etc/containers/registries.conf.d/01-image-searchRegistries.conf';
const POLICY = '/etc/containers/policy.json';
const D = `sha256:${'ab'.repeat(32)}`;
const header = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n';
const acceptAll = '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker-daemon":{"":[{"type":"insecureAcceptAnything"}]}}}';

function node(conf: string, extra: Array<{path: string; content: string}> = [], policy = acceptAll) {
  return [{path: MAIN, content: header + conf}, {path: POLICY, content: policy}, ...extra];
}

const tried = (r: ExplainResult, i = 0) => r.candidates[i]!.endpoints.filter((e) => e.tried).map((e) => e.reference);

const MIRRORS = `
[[registry]]
  prefix = ""
  location = "src.io/ns"

  [[registry.mirror]]
    location = "d1.io/ns"
    pull-from-mirror = "digest-only"

  [[registry.mirror]]
    location = "t1.io/ns"
    pull-from-mirror = "tag-only"

  [[registry.mirror]]
    location = "all.io/ns"
`;

describe('model/explain', () => {
  it('tag-pull-skips-digest-only-mirrors', () => {
    const r = explainImage(node(MIRRORS), 'src.io/ns/app:1');
    expect(tried(r)).to.deep.equal(['t1.io/ns/app:1', 'all.io/ns/app:1', 'src.io/ns/app:1']);
    expect(r.candidates[0]!.endpoints[0]!.skipReason).to.contain('digest-only');
    expect(r.candidates[0]!.pullFrom).to.equal('t1.io/ns/app:1');
  });

  it('digest-pull-skips-tag-only-mirrors', () => {
    const r = explainImage(node(MIRRORS), `src.io/ns/app@${D}`);
    expect(tried(r)).to.deep.equal([`d1.io/ns/app@${D}`, `all.io/ns/app@${D}`, `src.io/ns/app@${D}`]);
    expect(r.candidates[0]!.kind).to.equal('digest');
  });

  it('old-mirror-by-digest-only-form-skips-all-mirrors-for-tags', () => {
    const conf = '[[registry]]\nlocation = "src.io"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "m.io"\n';
    expect(tried(explainImage(node(conf), 'src.io/app:1'))).to.deep.equal(['src.io/app:1']);
    expect(tried(explainImage(node(conf), `src.io/app@${D}`))).to.deep.equal([`m.io/app@${D}`, `src.io/app@${D}`]);
  });

  it('never-contact-source-blocks-the-source-but-not-its-digest-mirror', () => {
    const conf = '[[registry]]\nlocation = "src.io/ns"\nblocked = true\n[[registry.mirror]]\nlocation = "m.io/ns"\npull-from-mirror = "digest-only"\n';
    const d = explainImage(node(conf), `src.io/ns/app@${D}`).candidates[0]!;
    expect(d.outcome).to.equal('pull');
    expect(d.pullFrom).to.equal(`m.io/ns/app@${D}`);
    expect(d.endpoints[1]).to.include({role: 'source', blocked: true, blockedBy: 'src.io/ns'});
    const t = explainImage(node(conf), 'src.io/ns/app:1').candidates[0]!;
    expect(t.outcome).to.equal('blocked');
    expect(t.pullFrom).to.equal(undefined);
  });

  it('mirror-under-a-blocked-scope-is-blocked-too', () => {
    const conf = '[[registry]]\nlocation = "src.io"\n[[registry.mirror]]\nlocation = "bad.io/m"\n[[registry]]\nlocation = "bad.io"\nblocked = true\n';
    const c = explainImage(node(conf), 'src.io/app:1').candidates[0]!;
    expect(c.endpoints[0]).to.include({role: 'mirror', blocked: true, blockedBy: 'bad.io'});
    expect(c.pullFrom).to.equal('src.io/app:1');
  });

  it('longest-prefix-entry-wins', () => {
    const conf = '[[registry]]\nlocation = "r.io"\nblocked = true\n[[registry]]\nlocation = "r.io/ok"\n';
    expect(explainImage(node(conf), 'r.io/ok/app:1').candidates[0]!.outcome).to.equal('pull');
    expect(explainImage(node(conf), 'r.io/okx/app:1').candidates[0]!.outcome).to.equal('blocked');
  });

  it('host-entry-covers-host-with-port-through-the-upstream-quirk-and-says-so', () => {
    const r = explainImage(node('[[registry]]\nlocation = "r.io"\nblocked = true\n'), 'r.io:5000/app:1');
    expect(r.candidates[0]!.outcome).to.equal('blocked');
    expect(r.notes.join(' ')).to.contain('quirk');
  });

  it('wildcard-entry-matches-subdomains-with-ports-not-the-domain', () => {
    const conf = '[[registry]]\nprefix = "*.r.io"\nblocked = true\n';
    expect(explainImage(node(conf), 'a.r.io:5000/app:1').candidates[0]!.outcome).to.equal('blocked');
    expect(explainImage(node(conf), 'r.io/app:1').candidates[0]!.entry).to.equal(undefined);
  });

  it('no-entry-means-the-reference-itself-verified-tls', () => {
    const c = explainImage(node(''), 'quay.io/a/b:1').candidates[0]!;
    expect(c.entry).to.equal(undefined);
    expect(c.endpoints).to.have.length(1);
    expect(c.endpoints[0]!.tls).to.deep.include({verify: true, httpFallback: false, certDir: '/etc/docker/certs.d/quay.io', certDirExists: false});
  });

  it('insecure-endpoint-skips-verification-and-falls-back-to-http', () => {
    const c = explainImage(node('[[registry]]\nlocation = "r.io:5000"\ninsecure = true\n'), 'r.io:5000/a:1').candidates[0]!;
    expect(c.endpoints[0]!.tls).to.include({verify: false, httpFallback: true});
  });

  it('certs-d-under-etc-containers-is-preferred-over-etc-docker', () => {
    const files = [
      {path: '/etc/containers/certs.d/r.io:5000/ca.crt', content: 'a'},
      {path: '/etc/docker/certs.d/r.io:5000/ca.crt', content: 'b'},
    ];
    const t = explainImage(node('', files), 'r.io:5000/a:1').candidates[0]!.endpoints[0]!.tls;
    expect(t).to.deep.include({certDir: '/etc/containers/certs.d/r.io:5000', certDirExists: true, caFiles: ['ca.crt']});
  });

  it('certs-d-is-keyed-by-the-endpoint-host-port-not-the-source', () => {
    const conf = '[[registry]]\nlocation = "src.io"\n[[registry.mirror]]\nlocation = "m.io:8443"\n';
    const c = explainImage(node(conf, [{path: '/etc/docker/certs.d/m.io:8443/ca.crt', content: 'x'}]), 'src.io/a:1').candidates[0]!;
    expect(c.endpoints.map((e) => e.tls.certDirExists)).to.deep.equal([true, false]);
  });

  it('policy-is-judged-on-the-requested-name-not-the-mirror', () => {
    const policy = '{"default":[{"type":"reject"}],"transports":{"docker":{"src.io":[{"type":"insecureAcceptAnything"}]}}}';
    const conf = '[[registry]]\nlocation = "src.io"\n[[registry.mirror]]\nlocation = "m.io"\n';
    const c = explainImage(node(conf, [], policy), 'src.io/a:1').candidates[0]!;
    expect(c.pullFrom).to.equal('m.io/a:1');
    expect(c.policy).to.include({scope: 'src.io', verdict: 'accept'});
    expect(c.outcome).to.equal('pull');
  });

  it('policy-reject-gives-rejected-after-the-manifest-is-fetched', () => {
    const c = explainImage(node('', [], '{"default":[{"type":"reject"}]}'), 'quay.io/a:1').candidates[0]!;
    expect(c.outcome).to.equal('rejected');
    expect(c.summary).to.contain('after the manifest is fetched from quay.io/a:1');
  });

  it('blocked-wins-over-policy-reject', () => {
    const c = explainImage(node('[[registry]]\nlocation = "q.io"\nblocked = true\n', [], '{"default":[{"type":"reject"}]}'), 'q.io/a:1').candidates[0]!;
    expect(c.outcome).to.equal('blocked');
  });

  it('signature-policy-requires-signatures', () => {
    const policy = '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"q.io":[{"type":"sigstoreSigned","keyPath":"/k.pub"}]}}}';
    expect(explainImage(node('', [], policy), 'q.io/a:1').candidates[0]!.outcome).to.equal('signature-required');
  });

  it('unusable-policy-json-fails-every-pull-even-a-blocked-one', () => {
    const c = explainImage(node('', [], '{"default":[]}'), 'q.io/a:1').candidates[0]!;
    expect(c.outcome).to.equal('policy-error');
    const b = explainImage(node('[[registry]]\nlocation = "q.io"\nblocked = true\n', [], '{"default":[]}'), 'q.io/a:1').candidates[0]!;
    expect(b.outcome).to.equal('policy-error');
  });

  it('missing-tag-means-latest', () => {
    expect(explainImage(node(''), 'quay.io/a/b').candidates[0]!.reference).to.equal('quay.io/a/b:latest');
  });

  it('docker-transport-prefix-is-accepted', () => {
    expect(explainImage(node(''), 'docker://quay.io/a/b:1').candidates[0]!.reference).to.equal('quay.io/a/b:1');
  });

  it('tag-and-digest-is-explained-as-a-digest-pull-with-a-note', () => {
    const r = explainImage(node(''), `quay.io/a/b:1@${D}`);
    expect(r.candidates[0]!.reference).to.equal(`quay.io/a/b@${D}`);
    expect(r.notes.join(' ')).to.contain('both a tag and a digest');
  });

  it('short-name-candidates-come-from-the-drop-in-in-order', () => {
    const r = explainImage(node('', [{path: DROPIN, content: 'unqualified-search-registries = ["a.io:5000", "docker.io"]\n'}]), 'lab/app:v1');
    expect(r.shortName).to.include({mode: 'permissive', searchOrigin: DROPIN});
    expect(r.shortName!.candidates).to.deep.equal(['a.io:5000/lab/app:v1', 'docker.io/lab/app:v1']);
    expect(r.candidates.map((c) => c.reference)).to.deep.equal(r.shortName!.candidates);
  });

  it('short-name-on-docker-io-gets-library-and-latest', () => {
    const r = explainImage(node(''), 'busybox');
    expect(r.shortName!.candidates).to.deep.equal(['registry.access.redhat.com/busybox:latest', 'docker.io/library/busybox:latest']);
  });

  it('short-name-first-pullable-skips-blocked-and-rejected-candidates', () => {
    const policy = '{"default":[{"type":"insecureAcceptAnything"}],"transports":{"docker":{"b.io":[{"type":"reject"}]}}}';
    const files = node('[[registry]]\nlocation = "a.io"\nblocked = true\n', [{path: DROPIN, content: 'unqualified-search-registries = ["a.io", "b.io", "c.io"]\n'}], policy);
    const r = explainImage(files, 'app:1');
    expect(r.candidates.map((c) => c.outcome)).to.deep.equal(['blocked', 'rejected', 'pull']);
    expect(r.shortName!.firstPullable).to.equal('c.io/app:1');
  });

  it('alias-takes-precedence-over-the-search-list', () => {
    const r = explainImage(node('[aliases]\n"app" = "quay.io/team/app"\n'), 'app:2');
    expect(r.shortName!.alias).to.deep.equal({value: 'quay.io/team/app', file: MAIN});
    expect(r.shortName!.candidates).to.deep.equal(['quay.io/team/app:2']);
  });

  it('enforcing-with-several-candidates-needs-a-tty', () => {
    const r = explainImage([{path: MAIN, content: 'unqualified-search-registries = ["a.io", "b.io"]\nshort-name-mode = "enforcing"\n'}, {path: POLICY, content: acceptAll}], 'app');
    expect(r.shortName!.error).to.equal('short-name resolution enforced but cannot prompt without a TTY');
  });

  it('enforcing-with-one-candidate-resolves', () => {
    const r = explainImage([{path: MAIN, content: 'unqualified-search-registries = ["a.io"]\nshort-name-mode = "enforcing"\n'}, {path: POLICY, content: acceptAll}], 'app');
    expect(r.shortName!.error).to.equal(undefined);
    expect(r.shortName!.candidates).to.deep.equal(['a.io/app:latest']);
  });

  it('short-name-without-search-registries-is-an-error', () => {
    expect(() => explainImage([{path: MAIN, content: 'unqualified-search-registries = []\n'}, {path: POLICY, content: acceptAll}], 'app')).to.throw(ExplainError, /no unqualified-search registries/);
  });

  it('mirror-that-cannot-form-a-reference-fails-the-pull', () => {
    const conf = '[[registry]]\nlocation = "src.io"\n[[registry.mirror]]\nlocation = "m.io:5000-x"\n';
    expect(() => explainImage(node(conf), 'src.io/a:1')).to.throw(ExplainError, /rewriting reference/);
  });

  it('short-name-with-uppercase-fails-like-containers-image', () => {
    expect(() => explainImage(node(''), 'Team/app')).to.throw(ExplainError, /unqualified-search registry "registry.access.redhat.com"/);
  });

  it('invalid-reference-is-an-error', () => {
    expect(() => explainImage(node(''), 'quay.io/UPPER:1')).to.throw(ExplainError);
  });

  it('import-of-a-short-name-is-judged-as-docker-io', () => {
    const r = explainImage(node(''), 'lab/app', {allowedRegistriesForImport: [{domainName: 'docker.io'}]});
    expect(r.import.secure.allowed).to.equal(true);
  });

  it('qualified-names-are-not-short', () => {
    expect(isShortName('localhost/a')).to.equal(false);
    expect(isShortName('r.io/a')).to.equal(false);
    expect(isShortName('r:5000/a')).to.equal(false);
    expect(isShortName('lab/app')).to.equal(true);
    expect(isShortName('app')).to.equal(true);
  });

  it('tried-endpoints-equal-sysregistries-pull-sources-for-random-configs', () => {
    const host = fc.constantFrom('a.io', 'b.io:5000', 'c.io');
    const path = fc.constantFrom('', '/ns', '/ns/app');
    const pfm = fc.constantFrom('', 'digest-only', 'tag-only', 'all');
    const mpath = fc.constantFrom('', '/m', '/m/x');
    const entry = fc.record({loc: fc.tuple(host, path).map(([h, p]) => h + p), blocked: fc.boolean(), mirrors: fc.array(fc.tuple(host, mpath, pfm), {maxLength: 3})});
    fc.assert(
      fc.property(fc.array(entry, {maxLength: 4}), fc.boolean(), fc.tuple(host, fc.constantFrom('/ns/app', '/x')), (entries, digested, [h, p]) => {
        const conf = entries
          .map((e) => `[[registry]]\nlocation = "${e.loc}"\nblocked = ${e.blocked}\n` + e.mirrors.map(([mh, mp, f]) => `[[registry.mirror]]\nlocation = "${mh}${mp}"\n${f ? `pull-from-mirror = "${f}"\n` : ''}`).join(''))
          .join('');
        let files;
        try {
          files = node(conf);
          loadNodeConfig(files);
        } catch {
          return; // conflicting duplicates: containers/image refuses the file, nothing to compare
        }
        const ref = `${h}${p}${digested ? `@${D}` : ':1'}`;
        const cfg = loadNodeConfig(files);
        const parsed = parseNormalizedNamed(ref);
        const reg = findRegistry(cfg.registries, `${h}${p}`);
        let want: string[];
        try {
          want = reg ? pullSources(reg, parsed).map((s) => refString(s.reference)) : [ref];
        } catch {
          // containers/image fails the whole pull when an endpoint cannot form a reference; so must explain.
          expect(() => explainImage(files, ref)).to.throw(ExplainError);
          return;
        }
        expect(tried(explainImage(files, ref))).to.deep.equal(want);
      }),
      {numRuns: 200},
    );
  });

  it('any-input-string-is-explained-or-refused-with-an-explain-error', () => {
    const files = node(MIRRORS, [{path: DROPIN, content: 'unqualified-search-registries = ["a.io:5000", "docker.io"]\n'}]);
    const part = fc.constantFrom('a', 'B', 'src.io', 'ns', 'app', 'x-y', 'localhost', ':', '/', '@', ':1', `@${D}`, 'docker://', '..', '_', ' ', 'sha256:');
    fc.assert(
      fc.property(fc.array(part, {maxLength: 8}).map((a) => a.join('')), (input) => {
        try {
          const r = explainImage(files, input);
          expect(r.candidates.length).to.be.greaterThan(0);
        } catch (e) {
          expect(e, String(e)).to.be.instanceOf(ExplainError);
        }
      }),
      {numRuns: 500},
    );
  });

  it('explain-service-renders-first-so-trusted-ca-and-allowlist-show', () => {
    const yaml = `apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec:
  registrySources: {allowedRegistries: [quay.io]}
  allowedRegistriesForImport: [{domainName: quay.io}]
  additionalTrustedCA: {name: ca}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: openshift-config}
data:
  r.io..5000: |
    -----BEGIN CERTIFICATE-----
    x
    -----END CERTIFICATE-----
`;
    const loaded = loadManifests([{file: 'm.yaml', text: yaml}]);
    const r = explainService(loaded, 'r.io:5000/a:1', {warn: () => {}});
    const c = r.candidates[0]!;
    expect(c.endpoints[0]!.tls).to.deep.include({certDir: '/etc/docker/certs.d/r.io:5000', certDirExists: true, caFiles: ['ca.crt']});
    expect(c.outcome).to.equal('rejected');
    expect(c.policy!.section).to.equal('default');
    expect(r.import.secure.allowed).to.equal(false);
    expect(explainService(loaded, 'quay.io/a/b:1', {warn: () => {}}).candidates[0]!.policy).to.include({scope: 'quay.io', verdict: 'accept'});
  });
});
