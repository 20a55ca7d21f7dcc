import {expect} from 'chai';
import {listSignaturePolicies, signatureRequirementFor, describeTrust} from '../../src/render/signatures.js';
import {policyNamespaces} from '../../src/model/policy-match.js';
import {parseNormalizedNamed} from '../../src/model/reference.js';

const policyScopesFor = (name: string) => policyNamespaces(parseNormalizedNamed(name));
import {HEADER, publicKeyPolicy, stateOf, vectorInput, vectorValue} from '../support/sigstore.js';

const KEY = vectorValue('user-cip-publickey', 'keyData');
const KEY2 = vectorValue('imagepolicy-namespace-alone', 'keyData');
const RELEASE = 'quay.io/openshift-release-dev/ocp-release@sha256:' + 'b'.repeat(64);

describe('signatureRequirementFor (explain)', () => {
  it('finds the default openshift policy for a release image, with the Red Hat release key', () => {
    const state = stateOf(vectorInput('openshift-cip-default-alone'));
    const r = signatureRequirementFor(RELEASE, state);
    expect(r).to.deep.include({reference: RELEASE, file: '/etc/containers/policy.json', fileOrigin: 'machineconfig', scope: 'quay.io/openshift-release-dev/ocp-release', verdict: 'signed'});
    expect(r.signatures).to.have.length(1);
    expect(r.signatures[0]!.policies.map((p) => p.name)).to.deep.equal(['openshift']);
    // sha256 of the decoded PEM, as published in the vectors' FINDINGS (section 8).
    expect(r.signatures[0]!.rootOfTrust).to.deep.equal({policyType: 'PublicKey', keySha256: '3f2bac1f91d33103279110c9b566453feb46781e01ad0601f29dac668ee89383'});
    expect(r.signatures[0]!.signedIdentity).to.deep.equal({type: 'matchRepoDigestOrExact'});
    expect(describeTrust(r.signatures[0]!)).to.equal('ClusterImagePolicy openshift: public key sha256:3f2bac1f91d33103…, identity matchRepoDigestOrExact');
  });

  it('falls back to default for other images, and applies the allow-list', () => {
    const state = stateOf(vectorInput('openshift-cip-default-alone'));
    expect(signatureRequirementFor('quay.io/someone/app', state)).to.deep.include({reference: 'quay.io/someone/app:latest', scope: undefined, verdict: 'accept', signatures: []});
    const allowed = stateOf(vectorInput('openshift-cip-with-allowed-registries'));
    expect(signatureRequirementFor('docker.io/library/busybox', allowed)).to.deep.include({verdict: 'reject', scope: undefined});
    expect(signatureRequirementFor('busybox', allowed).reference).to.equal('docker.io/library/busybox:latest');
    expect(signatureRequirementFor('quay.io/someone/app:v1', allowed)).to.deep.include({verdict: 'accept', scope: 'quay.io'});
    expect(signatureRequirementFor(RELEASE, allowed)).to.deep.include({verdict: 'signed', scope: 'quay.io/openshift-release-dev/ocp-release'});
  });

  it('uses the namespace file for CRI-O pulls in a namespace with an ImagePolicy', () => {
    const state = stateOf(HEADER + 'spec: {}\n' + publicKeyPolicy('ClusterImagePolicy', 'c', ['*.example.com'], KEY) + publicKeyPolicy('ImagePolicy', 'p', ['quay.io/team', 'registry.example.com/t'], KEY2, '', 'team-a'));
    const inNs = signatureRequirementFor('quay.io/team/app@sha256:' + 'c'.repeat(64), state, {namespace: 'team-a'});
    expect(inNs).to.deep.include({file: '/etc/crio/policies/team-a.json', scope: 'quay.io/team', verdict: 'signed'});
    expect(inNs.signatures.map((s) => `${s.policies[0]!.kind}/${s.policies[0]!.name}`)).to.deep.equal(['ImagePolicy/p']);
    expect(inNs.ignoredImagePolicyScopes).to.deep.equal([{policy: {kind: 'ImagePolicy', name: 'p', namespace: 'team-a', source: 'test.yaml:29'}, scopes: ['registry.example.com/t']}]);
    // The wildcard ClusterImagePolicy wins inside the namespace too.
    const wild = signatureRequirementFor('registry.example.com/t/app:1', state, {namespace: 'team-a'});
    expect(wild).to.deep.include({scope: '*.example.com'});
    expect(wild.signatures.map((s) => s.policies[0]!.name)).to.deep.equal(['c']);
    // Other namespaces and podman/skopeo use policy.json, where the ImagePolicy does not exist.
    expect(signatureRequirementFor('quay.io/team/app:1', state, {namespace: 'other'})).to.deep.include({file: '/etc/containers/policy.json', verdict: 'accept'});
    expect(signatureRequirementFor('quay.io/team/app:1', state)).to.deep.include({file: '/etc/containers/policy.json', verdict: 'accept'});
  });

  it('reports unknown when MCO refuses the sync', () => {
    const r = signatureRequirementFor(RELEASE, stateOf(vectorInput('user-cip-scope-not-in-allowed-error')));
    expect(r.verdict).to.equal('unknown');
    expect(r.mcoError).to.match(/is not nested inside allowedRegistries$/);
  });

  it('lists the scopes containers/image tries, most specific first', () => {
    expect(policyScopesFor('example.com:8443/ns/app')).to.deep.equal(['example.com:8443/ns/app', 'example.com:8443/ns', 'example.com:8443', '*.com']);
    expect(policyScopesFor('a.b.example.com/x')).to.deep.equal(['a.b.example.com/x', 'a.b.example.com', '*.b.example.com', '*.example.com', '*.com']);
  });
});

describe('listSignaturePolicies (status)', () => {
  it('lists every object with its applied and ignored scopes and predicted status', () => {
    const list = listSignaturePolicies(stateOf(vectorInput('imagepolicy-partial-conflict-with-openshift-cip')));
    expect(list.map((p) => `${p.kind}/${p.namespace ?? ''}/${p.name}`)).to.deep.equal(['ClusterImagePolicy//openshift', 'ImagePolicy/team-a/mixed']);
    const ip = list[1]!;
    expect(ip.ignoredScopes).to.deep.equal(['quay.io/openshift-release-dev/ocp-release']);
    expect(ip.appliedScopes).to.have.length(ip.scopes.length - 1);
    expect(ip.conditions.map((c) => c.reason)).to.deep.equal(['ConflictScopes']);
    expect(ip.files[0]).to.equal('/etc/crio/policies/team-a.json');
    expect(list[0]!.conditions).to.deep.equal([]);
  });

  it('flags objects MCO refuses or would crash on', () => {
    const [p] = listSignaturePolicies(stateOf(vectorInput('invalid-cip-publickey-type-without-publickey-panics')));
    expect(p).to.deep.include({panic: true, files: []});
    const [q] = listSignaturePolicies(stateOf(vectorInput('invalid-cip-fulcio-without-rekor-error')));
    expect(q!.error).to.match(/must be specified if fulcio is used$/);
    const [f] = listSignaturePolicies(stateOf(vectorInput('user-cip-fulcio-ca-with-rekor')));
    expect(f!.rootOfTrust).to.include({policyType: 'FulcioCAWithRekor'});
    expect(f!.rootOfTrust).to.have.property('oidcIssuer').that.is.a('string').and.not.equal('');
  });
});
