/** PEM bundles for trust-ca: node:crypto parsing, refusals and warnings (time as a parameter). */
import {expect} from 'chai';
import {generateKeyPairSync} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parsePemBundle} from '../../src/model/certs.js';
import {ROOT} from '../support/cluster-fixture.js';

const fixture = (f: string) => readFileSync(join(ROOT, 'test/fixtures/certs', f), 'latin1');

describe('trust-ca PEM bundles', () => {
  const ca = fixture('ca.pem');
  const notAfter = parsePemBundle(ca, 'ca', new Date()).certs[0]!.notAfter;

  it('reads subject, CA flag and days to expiry; several certificates per key', () => {
    const now = new Date(new Date(notAfter).getTime() - 10.5 * 86400_000);
    const b = parsePemBundle(fixture('bundle-two-cas.pem'), 'b', now);
    expect(b.problems).to.deep.equal([]);
    expect(b.warnings).to.deep.equal([]);
    expect(b.certs.map((c) => [c.subject, c.ca])).to.deep.equal([['CN=Lab Registry CA, O=Example', true], ['CN=Second CA', true]]);
    expect(b.certs[0]!.daysToExpiry).to.equal(10);
    expect(b.pem.match(/-----BEGIN CERTIFICATE-----/g)).to.have.length(2);
  });

  it('warns on expired, not-yet-valid and non-CA certificates', () => {
    const after = new Date(new Date(notAfter).getTime() + 86400_000);
    expect(parsePemBundle(ca, 'ca', after).warnings.map((w) => w.code)).to.deep.equal(['cert-expired']);
    expect(parsePemBundle(ca, 'ca', after).certs[0]!.daysToExpiry).to.equal(-1);
    expect(parsePemBundle(ca, 'ca', new Date('2000-01-01')).warnings.map((w) => w.code)).to.deep.equal(['cert-not-yet-valid']);
    expect(parsePemBundle(fixture('leaf-not-ca.pem'), 'leaf', new Date()).warnings.map((w) => w.code)).to.deep.equal(['cert-not-ca']);
  });

  it('refuses garbage, DER, broken base64 and private keys (also hidden in a bundle)', () => {
    const key = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({type: 'pkcs1', format: 'pem'}) as string;
    for (const [text, msg] of [
      [fixture('garbage.txt'), 'no -----BEGIN CERTIFICATE-----'],
      [fixture('ca.der'), 'binary'],
      [fixture('broken-base64.pem'), 'not a valid X.509'],
      [key, 'RSA PRIVATE KEY'],
      [ca + key, 'never put private keys'],
      ['', 'no -----BEGIN CERTIFICATE-----'],
    ] as const) {
      const b = parsePemBundle(text, '--cert f', new Date());
      expect(b.problems.map((p) => p.message).join(), msg).to.contain(msg);
    }
  });
});
