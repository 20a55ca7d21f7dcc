import {expect} from 'chai';
import {loadNodeConfig, NodeConfigError, parseRegistriesFile} from '../../src/model/node-config.js';

const MAIN = '/etc/containers/registries.conf';
const DROP = '/etc/containers/registries.conf.d';
const POLICY = {path: '/etc/containers/policy.json', content: '{"default":[{"type":"insecureAcceptAnything"}]}'};
const base = 'unqualified-search-registries = ["registry.access.redhat.com", "docker.io"]\nshort-name-mode = ""\n';

describe('model/node-config', () => {
  it('drop-in-search-list-replaces-the-main-list', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, {path: `${DROP}/01-image-searchRegistries.conf`, content: 'unqualified-search-registries = ["a.io:5000", "b.io"]\n'}, POLICY]);
    expect(c.searchRegistries).to.deep.equal(['a.io:5000', 'b.io']);
    expect(c.searchOrigin).to.equal(`${DROP}/01-image-searchRegistries.conf`);
  });

  it('drop-in-without-the-key-keeps-the-main-list', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, {path: `${DROP}/50-x.conf`, content: '[[registry]]\nlocation = "x.io"\n'}, POLICY]);
    expect(c.searchRegistries).to.deep.equal(['registry.access.redhat.com', 'docker.io']);
  });

  it('drop-in-with-an-empty-list-empties-it', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, {path: `${DROP}/50-x.conf`, content: 'unqualified-search-registries = []\n'}, POLICY]);
    expect(c.searchRegistries).to.deep.equal([]);
  });

  it('drop-ins-apply-in-name-order-and-only-conf-files', () => {
    const c = loadNodeConfig([
      {path: MAIN, content: base},
      {path: `${DROP}/20-b.conf`, content: 'unqualified-search-registries = ["second.io"]\n'},
      {path: `${DROP}/10-a.conf`, content: 'unqualified-search-registries = ["first.io"]\n'},
      {path: `${DROP}/99-ignored.toml`, content: 'unqualified-search-registries = ["ignored.io"]\n'},
      POLICY,
    ]);
    expect(c.searchRegistries).to.deep.equal(['second.io']);
    expect(c.registriesFiles).to.deep.equal([MAIN, `${DROP}/10-a.conf`, `${DROP}/20-b.conf`]);
  });

  it('drop-in-registry-replaces-the-entry-with-the-same-prefix', () => {
    const c = loadNodeConfig([
      {path: MAIN, content: base + '[[registry]]\nlocation = "x.io"\ninsecure = true\n'},
      {path: `${DROP}/50-x.conf`, content: '[[registry]]\nlocation = "x.io"\nblocked = true\n'},
      POLICY,
    ]);
    expect(c.registries).to.have.length(1);
    expect(c.registries[0]).to.include({blocked: true, insecure: false, file: `${DROP}/50-x.conf`});
  });

  it('empty-short-name-mode-means-permissive', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, POLICY]);
    expect(c.shortNameMode).to.equal('permissive');
    expect(c.shortNameModeOrigin).to.equal(undefined);
  });

  it('short-name-mode-from-a-drop-in-wins', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, {path: `${DROP}/50-x.conf`, content: 'short-name-mode = "enforcing"\n'}, POLICY]);
    expect(c.shortNameMode).to.equal('enforcing');
  });

  it('duplicate-prefix-first-entry-wins', () => {
    const f = parseRegistriesFile(MAIN, '[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m1.io"\n[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m2.io"\n');
    expect(f.registries).to.have.length(1);
    expect(f.registries[0]!.mirrors[0]!.location).to.equal('m1.io');
  });

  it('conflicting-blocked-setting-is-an-error', () => {
    expect(() => parseRegistriesFile(MAIN, '[[registry]]\nprefix = "x.io/a"\nlocation = "x.io"\nblocked = true\n[[registry]]\nprefix = "x.io/b"\nlocation = "x.io"\n')).to.throw(NodeConfigError, /conflicting 'blocked'/);
  });

  it('pull-from-mirror-on-the-registry-itself-is-an-error', () => {
    expect(() => parseRegistriesFile(MAIN, '[[registry]]\nlocation = "x.io"\npull-from-mirror = "digest-only"\n')).to.throw(NodeConfigError, /non-mirror registry/);
  });

  it('unsupported-pull-from-mirror-value-is-an-error', () => {
    expect(() => parseRegistriesFile(MAIN, '[[registry]]\nlocation = "x.io"\n[[registry.mirror]]\nlocation = "m.io"\npull-from-mirror = "digests"\n')).to.throw(NodeConfigError, /unsupported pull-from-mirror/);
  });

  it('wildcard-prefix-with-a-path-is-an-error', () => {
    expect(() => parseRegistriesFile(MAIN, '[[registry]]\nprefix = "*.x.io/a"\nlocation = "y.io"\n')).to.throw(NodeConfigError, /Wildcarded prefix/);
  });

  it('search-registry-with-a-path-is-an-error', () => {
    expect(() => parseRegistriesFile(MAIN, 'unqualified-search-registries = ["x.io/ns"]\n')).to.throw(NodeConfigError, /Invalid unqualified-search-registries/);
  });

  it('policy-with-an-empty-requirement-list-is-unusable', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, {path: POLICY.path, content: '{"default":[]}'}]);
    expect(c.policy).to.equal(undefined);
    expect(c.policyError).to.contain('must not be empty');
  });

  it('missing-policy-json-is-unusable', () => {
    expect(loadNodeConfig([{path: MAIN, content: base}]).policyError).to.contain('missing');
  });

  it('certs-d-directories-are-indexed-per-host-port', () => {
    const c = loadNodeConfig([{path: MAIN, content: base}, POLICY, {path: '/etc/docker/certs.d/r.io:5000/ca.crt', content: 'x'}]);
    expect([...c.certDirs.get('/etc/docker/certs.d')!.entries()]).to.deep.equal([['r.io:5000', ['ca.crt']]]);
  });

  it('aliases-are-read-and-later-files-win', () => {
    const c = loadNodeConfig([
      {path: MAIN, content: base + '[aliases]\n"app" = "a.io/x/app"\n'},
      {path: `${DROP}/000-shortnames.conf`, content: '[aliases]\n"app" = "b.io/y/app"\n'},
      POLICY,
    ]);
    expect(c.aliases.get('app')).to.deep.equal({value: 'b.io/y/app', file: `${DROP}/000-shortnames.conf`});
  });
});
