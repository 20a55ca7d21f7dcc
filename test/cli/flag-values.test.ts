/** Item 1: a value given to a yes/no flag never becomes a registry entry (kubectl's reading of flag values). */
import {expect} from 'chai';
import {copyFileSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'yaml';
import {ROOT, run} from '../support/cluster-fixture.js';

function copyOf(example: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'flag-values-')), 'image.yaml');
  copyFileSync(join(ROOT, 'examples', example), file);
  return file;
}

const allowed = (file: string): string[] => parse(readFileSync(file, 'utf8')).spec.registrySources.allowedRegistries;

describe('yes/no flags with a value (--yes=true, --dry-run=server)', function () {
  this.timeout(60_000);

  it('--yes=true applies and adds only the named entry; --yes=1 and -y too', async () => {
    for (const yes of ['--yes=true', '--yes=1', '--yes=True']) {
      const file = copyOf('allowlist.yaml');
      const r = await run(['allow', 'add', 'ghcr.io', yes, '-f', file]);
      expect(r.code, r.stderr).to.equal(0);
      expect(allowed(file)).to.include('ghcr.io').and.not.include('true').and.not.include('1').and.not.include('True');
    }
  });

  it('--yes=false means no --yes: without a terminal that is exit 2 and nothing written', async () => {
    const file = copyOf('allowlist.yaml');
    const before = readFileSync(file, 'utf8');
    const r = await run(['allow', 'add', 'ghcr.io', '--yes=false', '-f', file]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('pass --yes');
    expect(readFileSync(file, 'utf8')).to.equal(before);
  });

  it('any other value of a yes/no flag is exit 2 naming the flag, nothing written', async () => {
    const file = copyOf('allowlist.yaml');
    const before = readFileSync(file, 'utf8');
    for (const args of [['allow', 'add', 'ghcr.io', '--yes=please'], ['import', 'add', 'r.example.com', '--insecure=maybe', '--yes'], ['allow', 'add', 'ghcr.io', '--strict=yes', '--yes']]) {
      const r = await run([...args, '-f', file]);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(r.stderr).to.match(/--(yes|insecure|strict) is a yes\/no flag/);
    }
    expect(readFileSync(file, 'utf8')).to.equal(before);
  });

  it('--insecure=false imports securely and adds no entry named false', async () => {
    const file = copyOf('allowlist.yaml');
    const r = await run(['import', 'add', 'r.example.com', '--insecure=false', '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const spec = parse(readFileSync(file, 'utf8')).spec;
    expect(spec.allowedRegistriesForImport).to.deep.equal([{domainName: 'r.example.com'}]);
    expect(JSON.stringify(spec)).to.not.contain('false');
  });

  it('--dry-run, --dry-run=client and --dry-run=server write nothing and add no entry "server"', async () => {
    // With -f there is no API server to ask: --dry-run=server is refused (exit 2), nothing written.
    const file0 = copyOf('allowlist.yaml');
    const before0 = readFileSync(file0, 'utf8');
    const srv = await run(['allow', 'add', 'ghcr.io', '--dry-run=server', '-f', file0, '--json']);
    expect(srv.code, srv.stdout + srv.stderr).to.equal(2);
    expect(JSON.parse(srv.stdout).message).to.contain('needs a cluster');
    expect(readFileSync(file0, 'utf8')).to.equal(before0);
    for (const d of ['--dry-run', '--dry-run=client']) {
      const file = copyOf('allowlist.yaml');
      const before = readFileSync(file, 'utf8');
      const r = await run(['allow', 'add', 'ghcr.io', d, '-f', file, '--json']);
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const res = JSON.parse(r.stdout).result;
      expect(res.dryRun, d).to.equal(true);
      expect(res.plan.summary.join('\n')).to.contain('ghcr.io').and.not.contain('server').and.not.contain('client');
      expect(readFileSync(file, 'utf8')).to.equal(before);
    }
  });

  it('--dry-run with another value, or its value as a separate word, is exit 2', async () => {
    const file = copyOf('allowlist.yaml');
    for (const args of [['--dry-run=true'], ['--dry-run=servr'], ['--dry-run', 'server']]) {
      const r = await run(['allow', 'add', 'ghcr.io', ...args, '-f', file]);
      expect(r.code, args.join(' ') + r.stderr).to.equal(2);
      expect(r.stderr).to.contain('--dry-run');
    }
    const r = await run(['allow', 'add', 'ghcr.io', '--dry-run=bogus', '-f', file, '--json']);
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.stdout)).to.include({status: 2});
  });

  it('--dry-run=none is kubectl\'s spelling for "apply": with --yes the entry is written', async () => {
    const file = copyOf('allowlist.yaml');
    const r = await run(['allow', 'add', 'ghcr.io', '--dry-run=none', '--yes', '-f', file]);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.contain('ghcr.io');
  });

  it('after --, a token such as --yes=true is an argument (and refused as a registry scope)', async () => {
    const file = copyOf('allowlist.yaml');
    const r = await run(['allow', 'add', '-f', file, '--dry-run', '--', '--yes=true']);
    expect(r.code).to.equal(2);
  });
});
