import {expect} from 'chai';
import {loadManifests} from '../../src/model/manifests.js';
import {imageScopeProblem, validateSignaturePolicies} from '../../src/model/validate.js';
import {HEADER, publicKeyPolicy, stateOf, vectorValue} from '../support/sigstore.js';

const KEY = vectorValue('user-cip-publickey', 'keyData');

describe('API-server rules for ClusterImagePolicy / ImagePolicy', () => {
  it('accepts the scope forms the CRD allows', () => {
    for (const s of ['quay.io', 'quay.io/org/app', '*.example.com', 'localhost:5000/dev', 'registry.example.com:5000', 'quay.io/org/app:v1.2', `quay.io/org/app@sha256:${'a'.repeat(64)}`]) {
      expect(imageScopeProblem(s), s).to.equal(undefined);
    }
  });

  it('refuses scopes without a domain, misplaced wildcards and uppercase paths', () => {
    expect(imageScopeProblem('myorg/app')).to.match(/fully qualified domain name or localhost/);
    expect(imageScopeProblem('registry.*.com')).to.match(/wildcard/);
    expect(imageScopeProblem('*.example.com/app')).to.match(/wildcard/);
    expect(imageScopeProblem('quay.io/Org')).to.match(/not a valid image scope/);
    expect(imageScopeProblem('quay.io/' + 'a'.repeat(600))).to.match(/at most 512/);
  });

  it('reports duplicate scopes and bad base64 with the object and field', () => {
    const problems = validateSignaturePolicies(stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['quay.io/a', 'quay.io/a'], KEY) + publicKeyPolicy('ClusterImagePolicy', 'd', ['quay.io/b'], 'not base64!')));
    expect(problems.map((p) => `${p.field}: ${p.message}`)).to.deep.equal([
      'ClusterImagePolicy/c spec.scopes: is listed twice; scopes is a set',
      'ClusterImagePolicy/d spec.policy.rootOfTrust.publicKey.keyData: is not valid base64 (the API server stores this field as bytes)',
    ]);
  });

  it('refuses a union member that does not match the type', () => {
    const extra = `      fulcioCAWithRekor:\n        fulcioCAData: "${KEY}"\n`;
    const problems = validateSignaturePolicies(stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['quay.io/a'], KEY).trimEnd() + '\n' + extra));
    expect(problems.map((p) => p.field)).to.include('ClusterImagePolicy/c spec.policy.rootOfTrust.fulcioCAWithRekor');
  });

  it('suggests the right key for a misspelt field', () => {
    const loaded = loadManifests([{file: 'x.yaml', text: HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['quay.io/a'], KEY).replace('rootOfTrust', 'rootOfTrusts')}]);
    expect(loaded.problems.map((p) => `${p.field}: ${p.message}`)).to.deep.equal(['spec.policy.rootOfTrusts: unknown field; did you mean rootOfTrust?']);
  });
});
