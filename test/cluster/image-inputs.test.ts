import {expect} from 'chai';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {podImage, readImageList, readPullSecretFile} from '../../src/cluster/image-inputs.js';

const D = `sha256:${'e'.repeat(64)}`;

describe('cluster/image-inputs', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'image-inputs-'))));
  after(() => rmSync(dir, {recursive: true, force: true}));

  it('pod-image-takes-the-status-digest-under-the-spec-name', () => {
    expect(podImage('quay.io/team/app:1.2', `quay.io/team/app@${D}`)).to.equal(`quay.io/team/app@${D}`);
    // CRI-O may report the digest under another name (a mirror's): the node asks for the spec's name.
    expect(podImage('quay.io/team/app:1.2', `mirror.example.com/team/app@${D}`)).to.equal(`quay.io/team/app@${D}`);
    expect(podImage('quay.io/team/app:1.2', `docker-pullable://quay.io/team/app@${D}`)).to.equal(`quay.io/team/app@${D}`);
    // No digest in the status (not pulled yet, or an image ID only): the spec as written.
    expect(podImage('quay.io/team/app:1.2', undefined)).to.equal('quay.io/team/app:1.2');
    expect(podImage('quay.io/team/app:1.2', `sha256:${'f'.repeat(64)}`)).to.equal('quay.io/team/app:1.2');
  });

  it('images-file-skips-comments-and-blank-lines-and-names-bad-lines', async () => {
    const f = join(dir, 'images.txt');
    writeFileSync(f, '# header\n\nquay.io/a/b:1  # trailing comment\n  quay.io/c/d@' + D + '\n');
    expect(await readImageList(f)).to.deep.equal([
      {image: 'quay.io/a/b:1', origin: `${f}:3`},
      {image: `quay.io/c/d@${D}`, origin: `${f}:4`},
    ]);
    writeFileSync(f, 'quay.io/a/b:1 quay.io/c/d:2\n');
    let err: Error | undefined;
    await readImageList(f).catch((e: Error) => (err = e));
    expect(err?.message).to.equal(`${f}:1: "quay.io/a/b:1 quay.io/c/d:2": one image reference a line`);
  });

  it('pull-secret-file-errors-are-usage-errors-without-the-content', async () => {
    const f = join(dir, 'ps.json');
    writeFileSync(f, '{"auths": {"x": {"auth": "c2VjcmV0OnZhbHVl"');
    let err: (Error & {exitCode?: number}) | undefined;
    await readPullSecretFile(f).catch((e: Error) => (err = e));
    expect(err?.exitCode).to.equal(2);
    expect(err?.message).to.equal(`${f}: not JSON (want a dockerconfigjson or containers auth.json)`);
  });
});
