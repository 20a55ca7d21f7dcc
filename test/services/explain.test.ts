import {expect} from 'chai';
import {loadManifests} from '../../src/model/manifests.js';
import {explainService} from '../../src/services/explain.js';
import {HEADER, publicKeyPolicy, vectorValue} from '../support/sigstore.js';

const KEY = vectorValue('user-cip-publickey', 'keyData');
const KEY2 = vectorValue('imagepolicy-namespace-alone', 'keyData');
const D = `sha256:${'c'.repeat(64)}`;
const warn = () => {};

const yaml =
  HEADER +
  'spec: {}\n' +
  publicKeyPolicy('ClusterImagePolicy', 'cluster-wide', ['registry.example.com/signed'], KEY) +
  publicKeyPolicy('ImagePolicy', 'team-policy', ['quay.io/team'], KEY2, '', 'team-a');
const loaded = loadManifests([{file: 'test.yaml', text: yaml}]);

describe('render/explain-service', () => {
  it('signature-requirement-names-the-cluster-image-policy-and-key', () => {
    const r = explainService(loaded, 'registry.example.com/signed/app:1', {warn});
    const c = r.candidates[0]!;
    expect(c.outcome).to.equal('signature-required');
    expect(c.policy).to.include({scope: 'registry.example.com/signed'});
    expect(c.signatures!.map((s) => `${s.policies[0]!.kind}/${s.policies[0]!.name}:${s.rootOfTrust.policyType}`)).to.deep.equal(['ClusterImagePolicy/cluster-wide:PublicKey']);
    expect(r.policyFile).to.equal('/etc/containers/policy.json');
  });

  it('namespace-with-an-image-policy-is-judged-with-its-crio-file', () => {
    const inNs = explainService(loaded, `quay.io/team/app@${D}`, {warn, namespace: 'team-a'});
    expect(inNs.policyFile).to.equal('/etc/crio/policies/team-a.json');
    expect(inNs.filesRead).to.include('/etc/crio/policies/team-a.json');
    expect(inNs.candidates[0]!.outcome).to.equal('signature-required');
    expect(inNs.candidates[0]!.signatures!.map((s) => s.policies[0]!.name)).to.deep.equal(['team-policy']);
  });

  it('namespace-without-an-image-policy-and-podman-use-policy-json', () => {
    const other = explainService(loaded, `quay.io/team/app@${D}`, {warn, namespace: 'other'});
    expect(other.policyFile).to.equal('/etc/containers/policy.json');
    expect(other.candidates[0]!.outcome).to.equal('pull');
    expect(other.notes.join(' ')).to.contain('MCO writes no /etc/crio/policies/other.json');
    expect(explainService(loaded, `quay.io/team/app@${D}`, {warn}).candidates[0]!.outcome).to.equal('pull');
  });

  it('accepted-images-carry-no-signature-list', () => {
    expect(explainService(loaded, 'quay.io/other/app:1', {warn}).candidates[0]!.signatures).to.equal(undefined);
  });
});
