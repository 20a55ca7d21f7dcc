/** Item 13: colour is decided per stream; a file or pipe never gets escape codes, whatever the other stream is. */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {BIN, ROOT} from '../support/cluster-fixture.js';

const ESC = '\x1b[';

/** Run the CLI under a pseudo-terminal (`script`), with the shell redirections given. */
function onTerminal(args: string, redirect: string): string {
  const env: Record<string, string | undefined> = {...process.env, KUBECONFIG: '/nonexistent/kubeconfig'};
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} ${args} ${redirect}`, '/dev/null'], {cwd: ROOT, env, encoding: 'utf8'});
  return r.stdout;
}

describe('colour per stream', function () {
  this.timeout(60_000);
  before(function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip();
  });

  it('stdout to a file carries no escape codes while stderr is a terminal (edit preview, render)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'colour-'));
    for (const [i, args] of ['allow add ghcr.io -f examples/allowlist.yaml --dry-run', 'render -f examples/allowlist.yaml'].entries()) {
      const file = join(dir, `out-${i}`);
      const terminal = onTerminal(args, `> ${file}`);
      const stdout = readFileSync(file, 'utf8');
      expect(stdout.length, args).to.be.greaterThan(100);
      expect(stdout, args).to.not.contain(ESC);
      if (i === 0) expect(terminal, 'the warning on the terminal is coloured').to.contain(ESC);
    }
  });

  it('stderr to a file carries no escape codes while stdout is a terminal, which is coloured', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'colour-')), 'err');
    const terminal = onTerminal('allow add ghcr.io -f examples/allowlist.yaml --dry-run', `2> ${file}`);
    const stderr = readFileSync(file, 'utf8');
    expect(stderr).to.contain('warning:').and.not.contain(ESC);
    expect(terminal).to.contain('Plan:').and.contain(ESC);
  });

  it('--no-color and NO_COLOR keep a terminal plain', () => {
    expect(onTerminal('allow add ghcr.io -f examples/allowlist.yaml --dry-run --no-color', '')).to.contain('Plan:').and.not.contain(ESC);
  });
});
