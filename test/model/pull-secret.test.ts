import {expect} from 'chai';
import {credentialsFor, normalizeAuthKey, parsePullSecret, PullSecretError} from '../../src/model/pull-secret.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('model/pull-secret', () => {
  it('most-specific-key-wins-then-the-host', () => {
    const s = parsePullSecret(JSON.stringify({auths: {'reg.example.com': {auth: b64('host:h')}, 'reg.example.com/team': {auth: b64('team:t')}, 'reg.example.com/team/app': {auth: b64('app:a')}}}), 'ps');
    expect(credentialsFor(s, 'reg.example.com/team/app')?.credentials.username).to.equal('app');
    expect(credentialsFor(s, 'reg.example.com/team/other')?.key).to.equal('reg.example.com/team');
    expect(credentialsFor(s, 'reg.example.com/x/y')?.key).to.equal('reg.example.com');
    expect(credentialsFor(s, 'other.example.com/x')).to.equal(undefined);
    // The port is part of the host.
    expect(credentialsFor(s, 'reg.example.com:5000/team/app')).to.equal(undefined);
  });

  it('legacy-url-keys-match-their-host-and-never-shadow-exact-keys', () => {
    const s = parsePullSecret(JSON.stringify({auths: {'https://index.docker.io/v1/': {auth: b64('hub:x')}, 'https://quay.io/v2/': {auth: b64('legacy:x')}, 'quay.io': {auth: b64('exact:x')}}}), 'ps');
    expect(credentialsFor(s, 'docker.io/library/busybox')?.credentials.username).to.equal('hub');
    expect(credentialsFor(s, 'quay.io/org/app')?.credentials.username).to.equal('exact');
    expect(normalizeAuthKey('http://reg.example.com:5000/')).to.equal('reg.example.com:5000');
  });

  it('username-password-entries-and-legacy-dockercfg-without-auths', () => {
    const s = parsePullSecret(JSON.stringify({'reg.example.com': {username: 'u', password: 'p:with:colons'}}), 'cfg');
    expect(credentialsFor(s, 'reg.example.com/a')?.credentials).to.deep.equal({username: 'u', password: 'p:with:colons'});
  });

  it('unusable-entries-are-listed-by-key-only', () => {
    const s = parsePullSecret(JSON.stringify({auths: {'a.example.com': {identitytoken: 'secret-token'}, 'b.example.com': {auth: b64('no-colon')}}}), 'ps');
    expect(s.unusable).to.deep.equal(['a.example.com', 'b.example.com']);
    expect(JSON.stringify(s.unusable)).to.not.contain('secret');
  });

  it('bad-json-names-the-file-and-not-the-content', () => {
    expect(() => parsePullSecret('{"auths": {"x": {"auth": "c2VjcmV0"}', 'ps.json')).to.throw(PullSecretError, /^ps\.json: not JSON/);
    expect(() => parsePullSecret('[1]', 'ps.json')).to.throw(PullSecretError, /ps\.json: want a JSON object/);
    expect(() => parsePullSecret('{"auths": []}', 'ps.json')).to.throw(PullSecretError, /"auths" must be an object/);
  });
});
