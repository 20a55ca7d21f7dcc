/** Item 8: render --out onto a file, an earlier render, a foreign directory; --format machineconfig --out. */
import {expect} from 'chai';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runInProcess} from '../support/in-process.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ocr-render-out-'));
const tree = (dir: string, prefix = ''): string[] =>
  readdirSync(join(dir, prefix), {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? tree(dir, join(prefix, e.name)) : [join(prefix, e.name)])).sort();

describe('render --out', () => {
  it('onto an existing file is a usage error (exit 2), and the file is untouched', async () => {
    const file = join(tmp(), 'x.txt');
    writeFileSync(file, 'keep\n');
    const r = await runInProcess(['render', '-f', 'examples/search.yaml', '--out', file]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.match(/--out .*x\.txt is an existing file/);
    expect(readFileSync(file, 'utf8')).to.equal('keep\n');
  });

  it('a directory holding an earlier render ends with exactly the new node view (no stale drop-in or certs.d files)', async () => {
    const out = join(tmp(), 'node');
    const first = await runInProcess(['render', '-f', 'examples/search.yaml', '--out', out]);
    expect(first.code, first.stderr).to.equal(0);
    expect(tree(out)).to.include(join('etc', 'containers', 'registries.conf.d', '01-image-searchRegistries.conf'));
    const second = await runInProcess(['render', '-f', 'examples/blocklist.yaml', '--out', out]);
    expect(second.code, second.stderr).to.equal(0);
    const fresh = join(tmp(), 'fresh');
    await runInProcess(['render', '-f', 'examples/blocklist.yaml', '--out', fresh]);
    expect(tree(out)).to.deep.equal(tree(fresh));
    expect(existsSync(join(out, 'etc', 'containers', 'registries.conf.d'))).to.equal(false);
    expect(tree(out)).to.include('.oc-registries-render');
  });

  it('a non-empty directory that is not an earlier render is refused (exit 2) and left alone', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', 'notes.txt'), 'mine\n');
    const r = await runInProcess(['render', '-f', 'examples/search.yaml', '--out', dir]);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.include('not an earlier render');
    expect(tree(dir)).to.deep.equal([join('home', 'notes.txt')]);
  });

  it('--format machineconfig --out writes one MachineConfig YAML file per pool', async () => {
    const out = join(tmp(), 'mc');
    const r = await runInProcess(['render', '-f', 'examples/mirrors.yaml', '--format', 'machineconfig', '--out', out]);
    expect(r.code, r.stderr).to.equal(0);
    expect(tree(out)).to.deep.equal(['.oc-registries-render', '99-master-generated-registries.yaml', '99-worker-generated-registries.yaml']);
    const printed = await runInProcess(['render', '-f', 'examples/mirrors.yaml', '--format', 'machineconfig', '--pool', 'worker']);
    expect(readFileSync(join(out, '99-worker-generated-registries.yaml'), 'utf8')).to.equal(printed.stdout.replace(/\n$/, '') + (printed.stdout.endsWith('\n\n') ? '\n' : '\n'));
  });
});
