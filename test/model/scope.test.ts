import {expect} from 'chai';
import {explainBadScope, isValidRegistriesConfScope, scopeIsNestedInsideScope, sourcePattern} from '../../src/model/scope.js';

describe('registry scopes', () => {
  const nested: Array<[string, string, boolean]> = [
    ['quay.io', 'quay.io', true],
    ['quay.io/ns/repo', 'quay.io/ns', true],
    ['quay.io/nsx', 'quay.io/ns', false],
    ['quay.io:443/ns', 'quay.io', false],
    ['a.example.com', '*.example.com', true],
    ['a.b.example.com:5000/x', '*.example.com', true],
    ['example.com', '*.example.com', false],
    ['*.foo.example.com', '*.example.com', true],
    ['quay.io/bar.example.com', '*.example.com', false],
  ];
  for (const [sub, sup, want] of nested) {
    it(`${sub} ${want ? 'is' : 'is not'} inside ${sup}`, () => expect(scopeIsNestedInsideScope(sub, sup)).to.equal(want));
  }

  it('MCO accepts anything but "" and malformed wildcards', () => {
    expect(isValidRegistriesConfScope('')).to.equal(false);
    expect(isValidRegistriesConfScope('*example.com')).to.equal(false);
    expect(isValidRegistriesConfScope('foo.*.com')).to.equal(false);
    expect(isValidRegistriesConfScope('*.a/b')).to.equal(false);
    expect(isValidRegistriesConfScope('we"ird')).to.equal(true);
  });

  it('the API pattern takes host[:port][/path] and *.domain, nothing else', () => {
    for (const ok of ['quay.io', 'reg.io:5000/ns/app', '*.example.com', '10.0.0.1:5000', 'Reg.IO/ns']) expect(sourcePattern.test(ok), ok).to.equal(true);
    for (const bad of ['', 'https://quay.io', 'quay.io/ns:tag', 'quay.io/ns@sha256:abc', 'quay.io/', 'quay.io/NS', 'régistry.io', '*example.com']) expect(sourcePattern.test(bad), bad).to.equal(false);
  });

  it('explains why a scope is refused', () => {
    expect(explainBadScope('https://quay.io')).to.match(/scheme/);
    expect(explainBadScope('quay.io/ns:v1')).to.match(/tag/);
    expect(explainBadScope('quay.io/ns@sha256:abc')).to.match(/digest/);
    expect(explainBadScope('')).to.match(/empty/);
    expect(explainBadScope('régistry.io')).to.match(/ASCII/);
    expect(explainBadScope('quay.io/')).to.match(/slash/);
  });
});
