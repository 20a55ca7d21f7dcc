/** Item 14: parse errors say why, name what is missing, suggest the nearest command or flag; one line, exit 2; real error locations. */
import {expect} from 'chai';
import {copyFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FakeApiServer} from '../support/fake-apiserver.js';
import {clusterObjects, ROOT, run, runChild} from '../support/cluster-fixture.js';

function copyOf(example: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parse-errors-')), 'image.yaml');
  copyFileSync(join(ROOT, 'examples', example), file);
  return file;
}

const oneLine = (s: string) => s.trim().split('\n');

describe('parse errors and error locations', function () {
  this.timeout(60_000);
  const file = copyOf('search.yaml');

  const cases: Array<[string[], RegExp]> = [
    [['search', 'add', 'r.example.com', '--position', 'zero', '-f', file], /--position "zero": expected a positive integer/],
    [['search', 'add', 'r.example.com', '--position', '0', '-f', file], /--position "0": expected a positive integer/],
    [['allow', 'add', '-f', file], /missing argument ENTRIES/],
    [['mirror', 'add', 'quay.io/ns/repo', '-f', file], /missing argument MIRROR/],
    [['allow', 'add', 'ghcr.io', '--dryrun', '-f', file], /unknown flag --dryrun \(did you mean --dry-run\?\)/],
    [['mirror', 'add', 'a.io/x', 'b.io/x', '--kind', 'idmss', '-f', file], /--kind "idmss": expected one of idms, itms, icsp/],
    [['allow', 'add', 'ghcr.io', '--wait', '-f', file, '--yes'], /--(wait|file) cannot be used with --(file|wait)/],
    [['render', 'extra', '-f', file], /unexpected argument "extra"/],
    [['alow', 'add', 'x'], /unknown command "alow add x" \(did you mean "allow add"\?\)/],
    [['mirror', 'ad', 'x'], /did you mean "mirror add"\?/],
    [['blok'], /did you mean "block"\?/],
  ];

  for (const [args, want] of cases) {
    it(`${args.filter((a) => a !== file).join(' ')}: one line, exit 2`, async () => {
      const r = await run(args);
      expect(r.code, r.stderr).to.equal(2);
      expect(oneLine(r.stderr), r.stderr).to.have.length(1);
      expect(r.stderr).to.match(want).and.match(/^error: /);
    });
  }

  it('with --json the same errors are the JSON envelope on stdout', async () => {
    for (const args of [['allow', 'add', 'ghcr.io', '--dryrun', '-f', file, '--json'], ['alow', 'add', 'x', '--json'], ['search', 'add', 'r.example.com', '--position', 'zero', '-f', file, '--json']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).to.equal(2);
      const env = JSON.parse(r.stdout);
      expect(env.status).to.equal(2);
      expect(env.message).to.be.a('string').and.not.contain('\n');
      expect(env.warnings).to.deep.equal([]);
    }
  });

  it('-h and `help COMMAND` show the command help, exit 0 (the real binary)', async () => {
    for (const args of [['allow', 'add', '-h'], ['help', 'allow', 'add'], ['allow', 'add', '--help'], ['mirror', 'add', '-h']]) {
      const r = await runChild(args);
      expect(r.code, args.join(' ') + r.stderr).to.equal(0);
      expect(r.stdout, args.join(' ')).to.contain('USAGE').and.contain(`${args.includes('mirror') ? 'mirror' : 'allow'} add`);
    }
  });

  it('a validation error in file mode is at file:line, never a made-up path', async () => {
    const f = copyOf('allowlist.yaml');
    const r = await run(['block', 'add', 'docker.io', '-f', f, '--dry-run']);
    expect(r.code).to.equal(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors.length).to.be.greaterThan(0);
    expect(errors.join('\n')).to.contain(`${f}:`).and.not.contain('/image/cluster');
  });

  it('a validation error on the cluster names Kind/name, never the API URL', async () => {
    const srv = await FakeApiServer.start({objects: clusterObjects({registrySources: {allowedRegistries: ['quay.io']}}), tokens: {t: 'alice'}});
    try {
      const kc = srv.writeKubeconfig({user: 'alice', token: 't'});
      const r = await run(['block', 'add', 'docker.io', '--dry-run'], {KUBECONFIG: kc});
      expect(r.code).to.equal(2);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors.join('\n')).to.contain('Image/cluster').and.not.contain('http').and.not.contain('/image/cluster');
    } finally {
      await srv.close();
    }
  });
});
