/** `mirror apply` into GitOps manifests (-f): one stage per run with --staged, bad input refused, nothing written on --dry-run. */
import {expect} from 'chai';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ROOT, run} from '../support/cluster-fixture.js';

const V2 = join(ROOT, 'test', 'fixtures', 'oc-mirror', 'v2-full-set-replaces-earlier', 'working-dir');
type Json = {status: number; message?: string; result: {next?: string; stages: Array<{name: string; result: {written: string[]; noop: boolean; plan: {summary: string[]}}}>}};

describe('mirror apply into GitOps manifests (-f)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-apply-'));
    cpSync(join(ROOT, 'examples', 'oc-mirror-v2', 'cluster'), join(dir, 'cluster'), {recursive: true});
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));
  const files = () => ['cluster.yaml', 'icsp-oc-mirror-v1.yaml', 'idms-oc-mirror.yaml'].map((f) => readFileSync(join(dir, 'cluster', f), 'utf8')).join('\n---FILE---\n');

  it('--dry-run --staged shows both stages and writes nothing; an older oc-mirror set with no counterpart is noted, not deleted', async () => {
    writeFileSync(join(dir, 'cluster', 'generic.yaml'), 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: idms-generic-0\n  annotations:\n    createdBy: oc-mirror v2\nspec:\n  imageDigestMirrors:\n  - source: docker.io/library/busybox\n    mirrors: [registry.example.com:8443/library/busybox]\n');
    const before = files();
    const r = await run(['mirror', 'apply', V2, '-f', join(dir, 'cluster'), '--staged', '--dry-run', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const res = (JSON.parse(r.stdout) as Json & {result: {notes: string[]}}).result;
    expect(res.stages.map((s) => s.name)).to.deep.equal(['stage 1: add new mirrors', 'stage 2: remove old entries']);
    expect(res.notes.join('\n')).to.contain('ImageDigestMirrorSet idms-generic-0 (created by oc-mirror v2) is not in this output and stays as it is');
    expect(files()).to.equal(before);
  });

  it('--staged --yes: the first run writes stage 1 (nothing lost), the second stage 2, the third nothing', async () => {
    const f = join(dir, 'cluster');
    const one = JSON.parse((await run(['mirror', 'apply', V2, '-f', f, '--staged', '--yes', '--json'])).stdout) as Json;
    expect(one.result.stages).to.have.length(1);
    expect(one.result.next).to.contain('run the same command again for stage 2');
    expect(readFileSync(join(f, 'idms-oc-mirror.yaml'), 'utf8')).to.contain('registry.example.com:8443/rhel8').and.contain('registry.example.com:8443/rhel9');
    expect(readFileSync(join(f, 'icsp-oc-mirror-v1.yaml'), 'utf8')).to.contain('kind: ImageContentSourcePolicy');
    // The new objects go next to the existing ones; the comments of the file stay.
    expect(readFileSync(join(f, 'idms-oc-mirror.yaml'), 'utf8')).to.contain('# Applied from the previous oc-mirror v2 run.');
    const two = JSON.parse((await run(['mirror', 'apply', V2, '-f', f, '--staged', '--yes', '--json'])).stdout) as Json;
    expect(two.result.stages.map((s) => `${s.name}:${s.result.noop}`)).to.deep.equal(['stage 1: add new mirrors:true', 'stage 2: remove old entries:false']);
    expect(readFileSync(join(f, 'idms-oc-mirror.yaml'), 'utf8')).to.not.contain('rhel8');
    expect(readFileSync(join(f, 'icsp-oc-mirror-v1.yaml'), 'utf8')).to.not.contain('kind: ImageContentSourcePolicy');
    const three = JSON.parse((await run(['mirror', 'apply', V2, '-f', f, '--staged', '--yes', '--json'])).stdout) as Json;
    expect(three.result.stages.map((s) => s.result.noop)).to.deep.equal([true]);
  });

  it('a bad mirror set in DIR: exit 2 naming file:line and field, nothing written', async () => {
    const bad = join(dir, 'cluster-resources');
    cpSync(join(V2, 'cluster-resources'), bad, {recursive: true});
    writeFileSync(join(bad, 'idms-oc-mirror.yaml'), 'apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: idms-release-0\nspec:\n  imageDigestMirror:\n  - source: quay.io/a\n');
    const before = files();
    const r = await run(['mirror', 'apply', bad, '-f', join(dir, 'cluster'), '--yes', '--json']);
    expect(r.code).to.equal(2);
    expect((JSON.parse(r.stdout) as Json).message).to.match(/idms-oc-mirror\.yaml:6.*spec\.imageDigestMirror.*did you mean imageDigestMirrors/);
    expect(files()).to.equal(before);
  });

  it('a folder that is not oc-mirror output: exit 2', async () => {
    const r = await run(['mirror', 'apply', join(dir, 'nope'), '-f', join(dir, 'cluster'), '--dry-run']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('no such file or directory');
  });
});
