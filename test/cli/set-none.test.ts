/** Item 2: `set` with no entries does not clear a list; `--none` does, and the preview says what that does to policy.json. */
import {expect} from 'chai';
import {copyFileSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'yaml';
import {ROOT, run} from '../support/cluster-fixture.js';

function copyOf(example: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'set-none-')), 'image.yaml');
  copyFileSync(join(ROOT, 'examples', example), file);
  return file;
}

describe('list set: clearing needs --none', function () {
  this.timeout(60_000);

  it('every `set` without entries is exit 2, names --none, and writes nothing', async () => {
    for (const noun of ['allow', 'block', 'insecure', 'search', 'import']) {
      const file = copyOf('allowlist.yaml');
      const before = readFileSync(file, 'utf8');
      const r = await run([noun, 'set', '-f', file, '--yes']);
      expect(r.code, `${noun}: ${r.stderr}`).to.equal(2);
      expect(r.stderr, noun).to.contain('--none');
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(readFileSync(file, 'utf8'), noun).to.equal(before);
    }
  });

  it('--none together with entries is exit 2', async () => {
    const file = copyOf('allowlist.yaml');
    const r = await run(['allow', 'set', 'quay.io', '--none', '-f', file, '--yes']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--none');
  });

  it('allow set --none clears the list, and the preview says policy.json stops rejecting other registries', async () => {
    const file = copyOf('allowlist.yaml');
    const dry = await run(['allow', 'set', '--none', '-f', file, '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/policy\.json.*reject.*insecureAcceptAnything/);
    const r = await run(['allow', 'set', '--none', '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    expect(parse(readFileSync(file, 'utf8')).spec.registrySources.allowedRegistries).to.equal(undefined);
  });

  it('block set --none names the scopes policy.json stops rejecting; search set --none says policy.json does not change', async () => {
    const block = await run(['block', 'set', '--none', '-f', copyOf('blocklist.yaml'), '--dry-run', '--json']);
    expect(block.code, block.stdout).to.equal(0);
    expect(JSON.parse(block.stdout).result.plan.summary.join('\n')).to.match(/policy\.json no longer rejects untrusted\.com/);
    const search = await run(['search', 'set', '--none', '-f', copyOf('search.yaml'), '--dry-run']);
    expect(search.code, search.stderr).to.equal(0);
    expect(search.stdout).to.contain('policy.json does not change');
  });
});
