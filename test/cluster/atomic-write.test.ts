/** Item 7: the one atomic writer: conflicts (exit 4), all-or-nothing, temporaries removed on failure and on SIGINT/SIGTERM, symlinks kept, read-only refused. */
import {expect} from 'chai';
import {chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {writeFilesAtomic} from '../../src/cluster/atomic-write.js';
import {UserError} from '../../src/lib/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ocr-atomic-'));

async function exitOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    if (e instanceof UserError) return e.exitCode;
    throw e;
  }
}

describe('writeFilesAtomic (the one writer)', () => {
  it('a file changed between read and write is a conflict (exit 4) and no file is written', async () => {
    const dir = tmp();
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, 'a: 1\n');
    writeFileSync(b, 'b: 1\n');
    const code = await exitOf(
      writeFilesAtomic([{path: a, text: 'a: 2\n', before: 'a: 1\n'}, {path: b, text: 'b: 2\n', before: 'b: 1\n'}], {staged: () => writeFileSync(b, 'b: other editor\n')}),
    );
    expect(code).to.equal(4);
    expect(readFileSync(a, 'utf8')).to.equal('a: 1\n');
    expect(readFileSync(b, 'utf8')).to.equal('b: other editor\n');
    expect(readdirSync(dir).sort()).to.deep.equal(['a.yaml', 'b.yaml']);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} while the files are staged removes every temporary file and writes nothing (exit 130)`, async () => {
      const dir = tmp();
      const a = join(dir, 'a.yaml');
      writeFileSync(a, 'a: 1\n');
      const code = await exitOf(writeFilesAtomic([{path: a, text: 'a: 2\n'}, {path: join(dir, 'new.yaml'), text: 'n: 1\n'}], {staged: () => void process.emit(sig, sig)}));
      expect(code).to.equal(130);
      expect(readdirSync(dir)).to.deep.equal(['a.yaml']);
      expect(readFileSync(a, 'utf8')).to.equal('a: 1\n');
    });
  }

  it('a failure writing the second file leaves the first untouched and no temporary file', async () => {
    const dir = tmp();
    const a = join(dir, 'a.yaml');
    writeFileSync(a, 'a: 1\n');
    writeFileSync(join(dir, 'file'), 'x');
    const code = await exitOf(writeFilesAtomic([{path: a, text: 'a: 2\n'}, {path: join(dir, 'file', 'below.yaml'), text: 'n: 1\n'}]));
    expect(code).to.equal(2);
    expect(readFileSync(a, 'utf8')).to.equal('a: 1\n');
    expect(readdirSync(dir).sort()).to.deep.equal(['a.yaml', 'file']);
  });

  it('a symlink is followed (its target is written) and kept', async () => {
    const dir = tmp();
    const target = join(dir, 'real.yaml');
    const link = join(dir, 'link.yaml');
    writeFileSync(target, 'a: 1\n');
    symlinkSync('real.yaml', link);
    await writeFilesAtomic([{path: link, text: 'a: 2\n', before: 'a: 1\n'}]);
    expect(lstatSync(link).isSymbolicLink()).to.equal(true);
    expect(readFileSync(target, 'utf8')).to.equal('a: 2\n');
  });

  it('a read-only file is refused (exit 2), not overwritten', async () => {
    const dir = tmp();
    const a = join(dir, 'a.yaml');
    writeFileSync(a, 'a: 1\n');
    chmodSync(a, 0o444);
    expect(await exitOf(writeFilesAtomic([{path: a, text: 'a: 2\n'}]))).to.equal(2);
    expect(readFileSync(a, 'utf8')).to.equal('a: 1\n');
  });
});
