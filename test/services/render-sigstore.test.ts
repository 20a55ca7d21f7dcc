import {expect} from 'chai';
import {ValidationError} from '../../src/lib/errors.js';
import type {Warning} from '../../src/model/warnings.js';
import {loadManifests} from '../../src/model/manifests.js';
import {renderService, renderedMachineConfigYaml} from '../../src/services/render.js';
import {vectorInput} from '../support/sigstore.js';

function run(name: string, allowInvalid = false): {warnings: Warning[]; result?: ReturnType<typeof renderService>; error?: ValidationError} {
  const warnings: Warning[] = [];
  try {
    const result = renderService(loadManifests([{file: `${name}.yaml`, text: vectorInput(name)}]), {allowInvalid, warn: (w) => warnings.push(w)});
    return {warnings, result};
  } catch (e) {
    if (e instanceof ValidationError) return {warnings, error: e};
    throw e;
  }
}

describe('render service with signature policies', () => {
  it('refuses an object MCO would crash on with exit 2, even when API errors are only warnings', () => {
    const strict = run('invalid-cip-publickey-type-without-publickey-panics');
    expect(strict.error?.exitCode).to.equal(2);
    expect(strict.error?.message).to.match(/publicKey: is required when policyType is PublicKey/);
    const lax = run('invalid-cip-publickey-type-without-publickey-panics', true);
    expect(lax.error?.exitCode).to.equal(2);
    expect(lax.error?.problems[0]!.message).to.match(/^MCO's machine-config-controller would crash \(runtime error: invalid memory address or nil pointer dereference\)/);
    expect(lax.error?.problems[0]!.mco).to.equal('panic: runtime error: invalid memory address or nil pointer dereference');
  });

  it('carries the extra files into the MachineConfigs and the node view', () => {
    const {result} = run('imagepolicy-with-search-registries');
    expect(result!.files.filter((f) => f.changed).map((f) => f.path)).to.deep.equal([
      '/etc/containers/policy.json',
      '/etc/containers/registries.d/sigstore-registries.yaml',
      '/etc/crio/policies/team-a.json',
      '/etc/containers/registries.conf.d/01-image-searchRegistries.conf',
    ]);
    expect(result!.machineConfigs.map((m) => m.name)).to.deep.equal(['99-master-generated-registries', '99-worker-generated-registries']);
    expect(renderedMachineConfigYaml(result!)).to.include('path: /etc/crio/policies/team-a.json');
    expect(Buffer.from(JSON.parse(result!.machineConfigs[1]!.ignition).storage.files[2].contents.source.split(',')[1], 'base64').toString()).to.include('"transports"');
  });

  it('warns about lister-order flips, ImagePolicy conflicts and the implicit allow-list', () => {
    expect(run('user-cip-two-policies-same-scope-variants').warnings.map((w) => w.code)).to.include('mco-order-dependent');
    expect(run('imagepolicy-scope-conflicts-with-cip').warnings.map((w) => w.code)).to.include('imagepolicy-conflict');
    const blocked = run('openshift-cip-blocked-quay-with-payload-mirror-error-variants');
    expect(blocked.warnings.map((w) => w.code)).to.include.members(['mco-order-dependent', 'mco-hint']);
    expect(blocked.error?.problems[0]).to.deep.include({field: 'spec.registrySources.blockedRegistries', value: 'quay.io'});
  });
});
