import {expect} from 'chai';
import {decidePolicy, policyIdentity, policyNamespaces, verdictOf} from '../../src/model/policy-match.js';
import {parseNormalizedNamed} from '../../src/model/reference.js';
import type {PolicyJson} from '../../src/model/node-config.js';

const accept = [{type: 'insecureAcceptAnything'}];
const reject = [{type: 'reject'}];
const policy = (docker: Record<string, Array<{type: string}>>, def = accept): PolicyJson => ({default: def, transports: {docker}});
const ref = (s: string) => parseNormalizedNamed(s);

describe('model/policy-match', () => {
  it('namespaces-repo-then-parents-then-host-then-wildcards-without-port', () => {
    expect(policyNamespaces(ref('a.example.com:5000/ns/repo:1'))).to.deep.equal([
      'a.example.com:5000/ns/repo',
      'a.example.com:5000/ns',
      'a.example.com:5000',
      '*.example.com',
      '*.com',
    ]);
  });

  it('identity-is-name-and-tag-or-digest-and-defaults-to-latest', () => {
    expect(policyIdentity(ref('quay.io/a/b'))).to.equal('quay.io/a/b:latest');
    expect(policyIdentity(ref(`quay.io/a/b@sha256:${'a'.repeat(64)}`))).to.equal(`quay.io/a/b@sha256:${'a'.repeat(64)}`);
  });

  it('host-without-port-does-not-cover-host-with-port', () => {
    const d = decidePolicy(policy({'example.com': accept}, reject), ref('example.com:5000/x:1'));
    expect(d.section).to.equal('default');
    expect(d.verdict).to.equal('reject');
  });

  it('wildcard-scope-covers-host-with-port', () => {
    const d = decidePolicy(policy({'*.example.com': accept}, reject), ref('a.example.com:5000/x:1'));
    expect(d.scope).to.equal('*.example.com');
    expect(d.verdict).to.equal('accept');
  });

  it('wildcard-scope-does-not-cover-the-bare-domain', () => {
    expect(decidePolicy(policy({'*.example.com': accept}, reject), ref('example.com/x:1')).section).to.equal('default');
  });

  it('most-specific-scope-wins-over-registry-scope', () => {
    const d = decidePolicy(policy({'quay.io': reject, 'quay.io/ns': accept}), ref('quay.io/ns/app:1'));
    expect(d.scope).to.equal('quay.io/ns');
    expect(d.tried).to.deep.equal(['quay.io/ns/app:1', 'quay.io/ns/app', 'quay.io/ns']);
  });

  it('exact-identity-wins-over-repository', () => {
    const d = decidePolicy(policy({'quay.io/ns/app': reject, 'quay.io/ns/app:1': accept}), ref('quay.io/ns/app:1'));
    expect(d.scope).to.equal('quay.io/ns/app:1');
  });

  it('repository-scope-is-not-a-string-prefix', () => {
    expect(decidePolicy(policy({'quay.io/ns/ap': reject}), ref('quay.io/ns/app:1')).section).to.equal('default');
  });

  it('transport-default-scope-before-global-default', () => {
    const d = decidePolicy(policy({'': reject}), ref('quay.io/x:1'));
    expect(d.section).to.equal('transports.docker[""]');
    expect(d.verdict).to.equal('reject');
  });

  it('no-docker-transport-uses-default', () => {
    const d = decidePolicy({default: reject, transports: {atomic: {'quay.io': accept}}}, ref('quay.io/x:1'));
    expect(d.section).to.equal('default');
    expect(d.tried).to.deep.equal([]);
  });

  it('docker-hub-short-names-are-judged-expanded', () => {
    expect(decidePolicy(policy({'docker.io/library': reject}), ref('busybox')).scope).to.equal('docker.io/library');
  });

  it('verdict-signature-and-reject-combinations', () => {
    expect(verdictOf([{type: 'signedBy'}])).to.equal('signature-required');
    expect(verdictOf([{type: 'sigstoreSigned'}, {type: 'reject'}])).to.equal('reject');
    expect(verdictOf([{type: 'insecureAcceptAnything'}, {type: 'reject'}])).to.equal('reject');
    expect(verdictOf(accept)).to.equal('accept');
  });
});
