/** Every `mirror` --help example that works on the bundled examples/ runs and exits 0 (nothing is written: they are previews). */
import {runInProcess} from '../support/in-process.js';
import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {examples?: Array<{command: string} | string>}>};

describe('mirror commands: --help examples run', function () {
  this.timeout(30000);
  const runnable: Array<[string, string]> = [];
  for (const [id, c] of Object.entries(manifest.commands)) {
    if (!id.startsWith('mirror:')) continue;
    expect(c.examples?.length ?? 0, id).to.be.greaterThan(0);
    for (const e of c.examples ?? []) {
      const cmd = (typeof e === 'string' ? e : e.command).replace('<%= config.bin %> ', '');
      if (/-f examples\//.test(cmd) && (/--dry-run/.test(cmd) || /^mirror list/.test(cmd))) runnable.push([id, cmd]);
    }
  }
  it('has a runnable example for each mirror command', () => {
    expect(new Set(runnable.map(([id]) => id))).to.deep.equal(new Set(['mirror:add', 'mirror:remove', 'mirror:list', 'mirror:migrate', 'mirror:apply']));
  });
  for (const [id, cmd] of runnable) {
    it(`${id}: ${cmd}`, async () => {
      const r = await runInProcess(cmd.split(' '), {}, {cwd: root});
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.not.equal('');
      expect(r.stdout).to.not.contain('No change');
    });
  }
});
