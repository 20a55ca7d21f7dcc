import {expect} from 'chai';
import {parseNamed, parseNormalizedNamed, refName, refString} from '../../src/model/reference.js';

describe('image references (distribution/reference)', () => {
  const d = 'sha256:' + '4f2b3c7d9e1a5b6c8d0e2f4a6b8c0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c';
  const canonical = [`quay.io/openshift-release-dev/ocp-release@${d}`, 'quay.io/ns/app:1.2', 'localhost:5000/a/b', 'reg.io:5000/x:latest', `docker.io/library/busybox@${d}`];
  for (const s of canonical) it(`accepts canonical ${s}`, () => expect(refString(parseNamed(s))).to.equal(s));

  const notCanonical: Array<[string, RegExp]> = [
    ['busybox', /canonical/],
    ['docker.io/busybox', /canonical/],
    ['NOT A VALID::IMAGE', /invalid reference format/],
    ['quay.io/ns/app:bad tag', /invalid reference format/],
    ['quay.io/NS/app', /lowercase/],
    ['quay.io/ns/app@sha256:abc', /invalid reference format|digest/],
    [`quay.io/ns/app@md5:${'a'.repeat(32)}`, /unsupported digest algorithm/],
    ['', /invalid reference format|at least one component/],
  ];
  for (const [s, re] of notCanonical) it(`rejects ${JSON.stringify(s)}`, () => expect(() => parseNamed(s)).to.throw(re));

  it('normalises short names to docker.io/library', () => {
    expect(refName(parseNormalizedNamed('busybox'))).to.equal('docker.io/library/busybox');
    expect(refName(parseNormalizedNamed('lab/app:v1'))).to.equal('docker.io/lab/app');
    expect(parseNormalizedNamed('localhost/app').domain).to.equal('localhost');
  });
});
