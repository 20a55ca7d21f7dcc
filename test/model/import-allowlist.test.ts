import {expect} from 'chai';
import {admitImport, globMatch} from '../../src/model/import-allowlist.js';
import {parseNormalizedNamed} from '../../src/model/reference.js';

const ref = (s: string) => parseNormalizedNamed(s);
const INTERNAL = 'image-registry.openshift-image-registry.svc:5000';

describe('model/import-allowlist', () => {
  it('empty-or-absent-list-allows-every-registry', () => {
    expect(admitImport(ref('evil.io/x:1'), undefined, INTERNAL).allowed).to.equal(true);
    expect(admitImport(ref('evil.io/x:1'), [], INTERNAL).allowed).to.equal(true);
  });

  it('entry-without-port-means-443-for-secure-import', () => {
    const v = admitImport(ref('quay.io/a/b:1'), [{domainName: 'quay.io'}], INTERNAL);
    expect(v).to.include({allowed: true, matched: 'quay.io:443', checked: 'quay.io:443'});
  });

  it('insecure-entry-without-port-means-80-and-refuses-a-secure-import', () => {
    expect(admitImport(ref('quay.io/a/b:1'), [{domainName: 'quay.io', insecure: true}], INTERNAL).allowed).to.equal(false);
    expect(admitImport(ref('quay.io/a/b:1'), [{domainName: 'quay.io', insecure: true}], INTERNAL, 'any').allowed).to.equal(true);
  });

  it('explicit-port-must-match', () => {
    expect(admitImport(ref('reg.io:5000/a:1'), [{domainName: 'reg.io'}], INTERNAL).allowed).to.equal(false);
    expect(admitImport(ref('reg.io:5000/a:1'), [{domainName: 'reg.io:5000'}], INTERNAL).allowed).to.equal(true);
    expect(admitImport(ref('reg.io:5000/a:1'), [{domainName: 'reg.io:*'}], INTERNAL).allowed).to.equal(true);
  });

  it('wildcard-glob-covers-subdomains-not-the-domain', () => {
    const list = [{domainName: '*.example.com'}];
    expect(admitImport(ref('a.b.example.com/x:1'), list, INTERNAL).allowed).to.equal(true);
    expect(admitImport(ref('example.com/x:1'), list, INTERNAL).allowed).to.equal(false);
  });

  it('docker-hub-matches-docker-io-entry', () => {
    expect(admitImport(ref('busybox'), [{domainName: 'docker.io'}], INTERNAL).allowed).to.equal(true);
  });

  it('internal-registry-always-allowed', () => {
    const v = admitImport(ref(`${INTERNAL}/ns/is:1`), [{domainName: 'quay.io'}], INTERNAL);
    expect(v.allowed).to.equal(true);
    expect(v.reason).to.contain('internal registry');
  });

  it('refusal-lists-the-allowlist-like-the-apiserver', () => {
    const v = admitImport(ref('evil.io/x:1'), [{domainName: 'quay.io'}, {domainName: 'registry.redhat.io'}], INTERNAL);
    expect(v.allowed).to.equal(false);
    expect(v.reason).to.equal('registry "evil.io" not allowed by whitelist: "quay.io:443", "registry.redhat.io:443", "image-registry.openshift-image-registry.svc:5000"');
  });

  it('too-many-colons-breaks-the-allowlist', () => {
    expect(admitImport(ref('quay.io/x:1'), [{domainName: 'a:1:2'}], INTERNAL).reason).to.contain('too many colons');
  });

  it('glob-question-mark-and-star', () => {
    expect(globMatch('reg1.io', 'reg?.io')).to.equal(true);
    expect(globMatch('a.b.c', '*')).to.equal(true);
    expect(globMatch('regx.io', 'reg.io')).to.equal(false);
  });
});
