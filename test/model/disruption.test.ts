/** Predicted disruption: the daemon's drain-free rules for registries.conf and the per-file actions. */
import {expect} from 'chai';
import {maxLevel, registriesConfDrainReason} from '../../src/model/disruption.js';
import {disruptionRules, fileVerdict} from '../../src/model/node-disruption.js';

const defaults = disruptionRules({}).rules;
const fileDisruption = (path: string, before: string | undefined, after: string | undefined) => fileVerdict(path, before, after, defaults);

const reg = (scope: string, extra = '') => `[[registry]]\n  prefix = ""\n  location = "${scope}"\n${extra}`;
const mirror = (loc: string, pull?: string) => `\n  [[registry.mirror]]\n    location = "${loc}"\n${pull ? `    pull-from-mirror = "${pull}"\n` : ''}`;

describe('disruption prediction (pkg/daemon drain.go, apihelpers default policies)', () => {
  const base = `unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n\n${reg('quay.io/a', mirror('m.example.com/a', 'digest-only'))}`;

  it('adding a registry whose mirrors are all digest-only is drain-free', () => {
    const next = `${base}\n${reg('quay.io/b', mirror('m.example.com/b', 'digest-only'))}`;
    expect(registriesConfDrainReason(base, next)).to.equal(undefined);
    expect(fileDisruption('/etc/containers/registries.conf', base, next).level).to.equal('crio-reload');
  });

  it('adding a digest-only mirror to an existing registry is drain-free; a tag mirror is not', () => {
    const digest = base.replace('pull-from-mirror = "digest-only"\n', 'pull-from-mirror = "digest-only"\n') + mirror('m2.example.com/a', 'digest-only');
    expect(registriesConfDrainReason(base, digest)).to.equal(undefined);
    const tag = base + mirror('m2.example.com/a', 'tag-only');
    expect(registriesConfDrainReason(base, tag)).to.contain('m2.example.com/a');
  });

  it('removing a registry, blocking, insecure, changing the search order all drain', () => {
    expect(registriesConfDrainReason(base, 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\n')).to.contain('removed');
    expect(registriesConfDrainReason(base, base.replace('location = "quay.io/a"\n', 'location = "quay.io/a"\n  blocked = true\n'))).to.contain('blocked');
    expect(registriesConfDrainReason(base, `${base}\n${reg('lab.example.com', '  insecure = true\n')}`)).to.contain('lab.example.com');
    expect(registriesConfDrainReason(base, base.replace('"registry.access.redhat.com", "docker.io"', '"docker.io", "registry.access.redhat.com"'))).to.contain('order');
    expect(registriesConfDrainReason(base, base.replace('"registry.access.redhat.com", "docker.io"', '"registry.access.redhat.com", "docker.io", "x.io"'))).to.equal(undefined);
  });

  it('per-file actions: policy.json reload, search drop-in reboot, certs.d none', () => {
    expect(fileDisruption('/etc/containers/policy.json', '{}', '{"a":1}').level).to.equal('crio-reload');
    expect(fileDisruption('/etc/containers/registries.d/sigstore-registries.yaml', undefined, 'x').level).to.equal('crio-reload');
    expect(fileDisruption('/etc/crio/policies/ns.json', undefined, 'x').level).to.equal('crio-reload');
    expect(fileDisruption('/etc/containers/registries.conf.d/01-image-searchRegistries.conf', undefined, 'x').level).to.equal('drain-reboot');
    expect(fileDisruption('/etc/docker/certs.d/r.example.com:5000/ca.crt', undefined, 'x').level).to.equal('none');
    expect(maxLevel(['none', 'crio-reload', 'drain'])).to.equal('drain');
    expect(maxLevel([])).to.equal('none');
  });
});
