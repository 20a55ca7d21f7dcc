/** Every offline example in the editing commands' --help runs, exits 0 and changes no file. */
import {expect} from 'chai';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {ROOT, run} from '../support/cluster-fixture.js';

interface ManifestCommand {
  id: string;
  examples?: Array<string | {command: string}>;
}

describe('editing commands: --help examples', function () {
  this.timeout(120_000);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>};
  const editing = Object.values(manifest.commands).filter((c) => /^(allow|block|insecure|search|import|trust-ca):/.test(c.id));

  it('covers all 23 editing commands, each with examples', () => {
    expect(editing.map((c) => c.id).sort()).to.have.length(23);
    for (const c of editing) expect(c.examples ?? [], c.id).to.not.be.empty;
  });

  it('the offline ones (-f examples/...) run with exit 0 and leave the examples untouched', async () => {
    const before = new Map<string, string>();
    let ran = 0;
    for (const c of editing) {
      for (const ex of c.examples ?? []) {
        const cmd = (typeof ex === 'string' ? ex : ex.command).replace('<%= config.bin %> ', '');
        if (!cmd.includes('-f examples/') || (!cmd.includes('--dry-run') && !cmd.includes(' list '))) continue;
        const file = /-f (examples\/\S+)/.exec(cmd)![1]!;
        if (!before.has(file)) before.set(file, readFileSync(join(ROOT, file), 'utf8'));
        const r = await run(cmd.split(' '));
        expect(r.code, `${cmd}\n${r.stderr}`).to.equal(0);
        ran++;
      }
    }
    expect(ran).to.be.at.least(23);
    for (const [f, t] of before) expect(readFileSync(join(ROOT, f), 'utf8'), f).to.equal(t);
  });
});
