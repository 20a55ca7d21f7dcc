import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {compareText, formatOf} from '../../src/lib/semantic.js';
import {certificatesIn} from '../../src/model/certs.js';

const CA = readFileSync('test/fixtures/verify/service-ca.crt', 'utf8');

describe('semantic comparison of node files', () => {
  it('knows the formats by path', () => {
    expect(formatOf('/etc/containers/registries.conf')).to.equal('toml');
    expect(formatOf('/etc/containers/registries.conf.d/01-image-searchRegistries.conf')).to.equal('toml');
    expect(formatOf('/etc/containers/policy.json')).to.equal('json');
    expect(formatOf('/etc/containers/registries.d/sigstore-registries.yaml')).to.equal('yaml');
    expect(formatOf('/etc/docker/certs.d/r:5000/ca.crt')).to.equal('pem');
  });

  it('TOML: reordered keys and different quoting are the same meaning, not the same bytes', () => {
    const a = 'unqualified-search-registries = ["a.io"]\n[[registry]]\n  prefix = ""\n  location = "x.io"\n  blocked = true\n';
    const b = "unqualified-search-registries = ['a.io']\n[[registry]]\nblocked = true\nlocation = 'x.io'\nprefix = ''\n";
    const c = compareText('/etc/containers/registries.conf', a, b);
    expect(c).to.include({bytesEqual: false, semanticEqual: true});
  });

  it('TOML: a changed value and a removed table are listed by meaning', () => {
    const a = '[[registry]]\n  location = "x.io"\n  blocked = true\n[[registry]]\n  location = "y.io"\n';
    const b = '[[registry]]\n  location = "x.io"\n  blocked = false\n';
    const c = compareText('/etc/containers/registries.conf', a, b);
    expect(c.semanticEqual).to.equal(false);
    expect(c.changes).to.deep.equal(['registry[location="x.io"].blocked: true -> false', 'registry[location="y.io"]: removed']);
  });

  it('TOML: order of the search list matters', () => {
    const c = compareText('/x/a.conf', 'unqualified-search-registries = ["a", "b"]\n', 'unqualified-search-registries = ["b", "a"]\n');
    expect(c.semanticEqual).to.equal(false);
    expect(c.changes[0]).to.equal('unqualified-search-registries: ["a","b"] -> ["b","a"]');
  });

  it('JSON: indentation does not matter, values do', () => {
    const a = '{"default":[{"type":"reject"}],"transports":{"docker":{"quay.io":[{"type":"insecureAcceptAnything"}]}}}';
    expect(compareText('/p.json', a, JSON.stringify(JSON.parse(a), null, 8))).to.include({bytesEqual: false, semanticEqual: true});
    const c = compareText('/p.json', a, a.replace('reject', 'insecureAcceptAnything'));
    expect(c.changes).to.deep.equal(['default[0].type: "reject" -> "insecureAcceptAnything"']);
  });

  it('a file that does not parse differs, with the reason', () => {
    const c = compareText('/p.json', '{}', '{');
    expect(c.semanticEqual).to.equal(undefined);
    expect(c.parseError).to.match(/does not parse as json/);
  });

  it('PEM: re-wrapped base64 is the same certificate', () => {
    const body = CA.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const rewrapped = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,40}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    expect(compareText('/ca.crt', CA, rewrapped)).to.include({bytesEqual: false, semanticEqual: true});
    expect(compareText('/ca.crt', CA, CA + CA).semanticEqual).to.equal(false);
  });

  it('certificate expiry is computed from the given clock', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const {certs, errors} = certificatesIn(readFileSync('test/fixtures/verify/cluster.yaml', 'utf8').split('|\n')[1]!.replace(/^ {4}/gm, ''), now);
    expect(errors).to.deep.equal([]);
    expect(certs).to.have.length(1);
    expect(certs[0]!.subject).to.contain('cfglab TEST-ONLY CA');
    expect(certs[0]!.notAfter).to.equal('2126-11-02T08:15:28.000Z');
    expect(certs[0]!.daysToExpiry).to.equal(Math.floor((Date.parse('2126-11-02T08:15:28Z') - now.getTime()) / 86_400_000));
    expect(certificatesIn(CA, new Date('2200-01-01')).certs[0]!.expired).to.equal(true);
    expect(certificatesIn('garbage', now).errors).to.deep.equal(['no PEM certificate found']);
  });
});
