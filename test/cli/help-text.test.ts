/** Item 17: help texts that oclif can wrap, examples that run from an installed copy, usage lines that match the arguments. */
import {expect} from 'chai';
import {cpSync, existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {EXIT_CODE_MEANING} from '../../src/lib/exit-codes.js';
import {ROOT, run} from '../support/cluster-fixture.js';

interface ManifestArg {
  name: string;
  required?: boolean;
  multiple?: boolean;
}
interface ManifestCommand {
  id: string;
  description?: string;
  examples?: Array<string | {command: string}>;
  args: Record<string, ManifestArg>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>};
const commands = Object.values(manifest.commands);
const exampleLines = (c: ManifestCommand) => (c.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command).replace('<%= config.bin %> ', ''));

describe('help texts', function () {
  this.timeout(300_000);

  it('descriptions have no hard line breaks inside a paragraph', () => {
    for (const c of commands) {
      for (const para of (c.description ?? '').split('\n\n')) expect(para, c.id).to.not.contain('\n');
    }
  });

  it('examples name no test fixtures, and every file they read ships in examples/', () => {
    for (const c of commands) {
      for (const ex of exampleLines(c)) {
        expect(ex, c.id).to.not.contain('test/');
        for (const m of ex.matchAll(/(?:-f|--cert) (examples\/\S+)/g)) expect(existsSync(join(ROOT, m[1]!)), `${c.id}: ${m[1]}`).to.equal(true);
      }
    }
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).to.include('examples');
  });

  it('exit-code tables in help name only the codes of the README table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const c of commands) {
      const table = /Exit codes: (.*)\./.exec(c.description ?? '')?.[1];
      if (!table) continue;
      for (const part of table.split('; ')) {
        const code = Number(part.split(' ')[0]);
        expect(EXIT_CODE_MEANING, `${c.id}: ${part}`).to.have.property(String(code));
        expect(readme, `${c.id}: exit code ${code}`).to.contain(`\`${code}\``);
      }
    }
  });

  it('USAGE matches the arguments and examples are never wrapped inside a digest (80 columns, as without a terminal)', async () => {
    // The help a user sees without a terminal (oclif wraps at 80 columns); the single executable's
    // smoke suite compares every command's --help of the real binaries.
    const helps = new Map<string, {code: number; stdout: string; stderr: string}>();
    for (const id of commands.map((c) => c.id).filter((x) => x !== 'help')) helps.set(id, await run([...id.split(':'), '--help']));
    for (const c of commands.filter((x) => x.id !== 'help')) {
      const r = helps.get(c.id)!;
      expect(r.code, `${c.id}: ${r.stderr}`).to.equal(0);
      const usage = r.stdout.slice(r.stdout.indexOf('USAGE'), r.stdout.indexOf('\n\n', r.stdout.indexOf('USAGE'))).replace(/\s+/g, ' ');
      const args = Object.values(c.args);
      for (const [i, a] of args.entries()) {
        const word = `${a.name.toUpperCase()}${a.multiple ? '...' : ''}`;
        expect(usage, `${c.id} usage for ${a.name}`).to.contain(a.required ? ` ${word}` : `[${word}]`);
        if (!a.multiple) expect(usage, `${c.id}: ${a.name} is one value`).to.not.contain(`${a.name.toUpperCase()}...`);
        if (a.multiple) expect(i, `${c.id}: only the last argument repeats`).to.equal(args.length - 1);
      }
      for (const m of r.stdout.matchAll(/sha256:([0-9a-f]*)/g)) expect(m[1], `${c.id}: a digest wrapped in the middle`).to.have.length(64);
    }
  });

  it('every example runs from an installed copy (examples/ in a fresh directory) without a bug (exit 70)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'installed-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), {recursive: true});
    let ran = 0;
    {
      for (const c of commands) {
        for (const ex of exampleLines(c)) {
          const r = await run(ex.split(' ').filter(Boolean).map((a) => a.replace(/^examples\//, `${dir}/examples/`)));
          expect(r.code, `${ex}\n${r.stderr}`).to.not.equal(70);
          if (/-f examples\/\S+ --dry-run$|^\S+ list -f examples\//.test(ex)) expect(r.code, `${ex}\n${r.stderr}`).to.equal(0);
          ran++;
        }
      }
    }
    expect(ran).to.be.greaterThan(60);
  });
});
