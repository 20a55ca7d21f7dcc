/** File mode (-f) of the editing commands, through the real CLI (bin/run.js). */
import {expect} from 'chai';
import {spawn, spawnSync} from 'node:child_process';
import {generateKeyPairSync} from 'node:crypto';
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'yaml';
import {ROOT, run} from '../support/cluster-fixture.js';

const GITOPS = `# Cluster image configuration, managed by Argo CD.
# Do not edit by hand: open a merge request.
---
apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster    # the only Image object MCO reads
  annotations:
    owner: platform-team  # pager: #platform
spec:
  registrySources:
    # Registries nodes may pull from.
    allowedRegistries:
      - quay.io               # release payload
      - registry.redhat.io    # operators

      # internal registry (builds)
      - image-registry.openshift-image-registry.svc:5000
    insecureRegistries: [registry.lab.example.com:5000]   # lab only
  # trailing comment in spec
---
# Another object in the same file stays untouched.
apiVersion: config.openshift.io/v1
kind: ClusterVersion
metadata:
  name: version
status:
  desired:
    image: quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}
    version: 4.18.3
`;

function comments(text: string): string[] {
  return text
    .split('\n')
    .map((l) => (l.includes('#') ? l.slice(l.indexOf('#')).trim() : ''))
    .filter(Boolean);
}

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
}

describe('editing commands on GitOps manifests (-f)', function () {
  this.timeout(60_000);

  it('add and remove keep every comment; remove(add(x)) restores the file byte for byte', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const file = join(dir, 'image.yaml');
    let r = await run(['allow', 'add', 'ghcr.io/acme', '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const added = readFileSync(file, 'utf8');
    expect(comments(added)).to.deep.equal(comments(GITOPS));
    expect(parse(added.split('---\n')[1]!).spec.registrySources.allowedRegistries).to.deep.equal(['quay.io', 'registry.redhat.io', 'image-registry.openshift-image-registry.svc:5000', 'ghcr.io/acme']);
    r = await run(['insecure', 'remove', 'registry.lab.example.com:5000', '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    const removed = readFileSync(file, 'utf8');
    expect(comments(removed)).to.include('# release payload').and.include('# internal registry (builds)').and.include('# trailing comment in spec');
    expect(parse(removed.split('---\n')[1]!).spec.registrySources.insecureRegistries).to.equal(undefined);
    r = await run(['insecure', 'add', 'registry.lab.example.com:5000', '-f', file, '--yes']);
    r = await run(['allow', 'remove', 'ghcr.io/acme', '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    // The flow list comes back in block style; everything else is the original text.
    const back = readFileSync(file, 'utf8');
    // Only the insecureRegistries line differs: the removed list took its inline comment with it.
    const diff = back.split('\n').filter((l) => !GITOPS.split('\n').includes(l));
    expect(diff).to.deep.equal(['    insecureRegistries:', '      - registry.lab.example.com:5000']);
    expect(comments(back)).to.deep.equal(comments(GITOPS).filter((c) => c !== '# lab only'));
    // No temporary files are left next to the manifest.
    expect(readdirSync(dir)).to.deep.equal(['image.yaml']);
  });

  it('add then remove of the same entry restores the exact bytes', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const file = join(dir, 'image.yaml');
    for (const [noun, value] of [['allow', 'ghcr.io'], ['search', 'registry.example.com'], ['import', 'registry.example.com']] as const) {
      expect((await run([noun, 'add', value, '-f', file, '--yes'])).code).to.equal(0);
      expect(readFileSync(file, 'utf8')).to.not.equal(GITOPS);
      expect((await run([noun, 'remove', value, '-f', file, '--yes'])).code).to.equal(0);
      expect(readFileSync(file, 'utf8'), noun).to.equal(GITOPS);
    }
  });

  it('--dry-run writes nothing and shows the object and node-file diffs', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const file = join(dir, 'image.yaml');
    const r = await run(['allow', 'add', 'ghcr.io', '-f', file, '--dry-run']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('+      - ghcr.io').and.contain('node file /etc/containers/policy.json').and.contain('master: CRI-O reload');
    expect(readFileSync(file, 'utf8')).to.equal(GITOPS);
  });

  it('no terminal and no --yes: exit 2, nothing written', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const r = await run(['allow', 'add', 'ghcr.io', '-f', join(dir, 'image.yaml')]);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('pass --yes');
    expect(readFileSync(join(dir, 'image.yaml'), 'utf8')).to.equal(GITOPS);
  });

  it('on a terminal: asks, applies on yes, changes nothing on no', async function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip();
    for (const answer of ['y', 'n']) {
      const dir = tmp({'image.yaml': GITOPS});
      const file = join(dir, 'image.yaml');
      const {code, output} = await new Promise<{code: number; output: string}>((resolve) => {
        // `script` gives the CLI a pseudo-terminal; we answer the prompt through it.
        const child = spawn('script', ['-qec', `${process.execPath} ${join(ROOT, 'bin/run.js')} allow add ghcr.io -f ${file}`, '/dev/null'], {env: {...process.env, NO_COLOR: '1'}});
        let output = '';
        let answered = false;
        child.stdout.on('data', (d) => {
          output += d;
          if (!answered && output.includes('(y/N)')) {
            answered = true;
            child.stdin.write(`${answer}\r`);
          }
        });
        child.on('close', (c) => resolve({code: c ?? 70, output}));
      });
      expect(code, output).to.equal(0);
      expect(output).to.contain('Apply 1 change(s) to');
      if (answer === 'y') expect(readFileSync(file, 'utf8')).to.contain('- ghcr.io');
      else {
        expect(output).to.contain('nothing was changed');
        expect(readFileSync(file, 'utf8')).to.equal(GITOPS);
      }
    }
  });

  it('refuses when two files define the same object', async () => {
    const dir = tmp({'a.yaml': GITOPS, 'b.yaml': GITOPS.split('---\n')[1]!});
    const r = await run(['allow', 'add', 'ghcr.io', '-f', dir, '--yes']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('defined twice');
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).to.equal(GITOPS);
  });

  it('bad inputs: exit 2 with one message per value, file unchanged', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const file = join(dir, 'image.yaml');
    const cases: Array<[string[], string]> = [
      [['allow', 'add', 'https://quay.io'], 'URL scheme'],
      [['allow', 'add', 'quay.io/app:latest'], 'tag'],
      [['block', 'add', `quay.io/app@sha256:${'c'.repeat(64)}`], 'digest'],
      [['insecure', 'add', ''], 'must not be empty'],
      [['allow', 'add', 'régistry.example.com'], 'unicode'],
      [['allow', 'add', '*.*.example.com'], 'wildcard'],
      [['search', 'add', 'registry.example.com/path'], 'host[:port]'],
      [['import', 'add', 'http://registry.example.com'], 'scheme'],
      [['allow', 'add', '%%%'], 'valid hostname'],
    ];
    for (const [args, msg] of cases) {
      const r = await run([...args, '-f', file, '--yes']);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.stderr, args.join(' ')).to.contain(msg);
    }
    const many = Array.from({length: 10_000}, (_, i) => `r${i}.example.com`);
    const r = await run(['allow', 'add', ...many, '-f', file, '--yes', '--json']);
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.stdout)).to.include({status: 2, name: 'ValidationError'});
    expect(JSON.parse(r.stdout).message).to.contain('at most 1024');
    expect(readFileSync(file, 'utf8')).to.equal(GITOPS);
  });

  it('trust-ca: creates the ConfigMap next to the Image and sets additionalTrustedCA.name; rejects non-PEM, DER and private keys', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const file = join(dir, 'image.yaml');
    const certs = join(ROOT, 'test/fixtures/certs');
    const key = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey.export({type: 'pkcs8', format: 'pem'}) as string;
    writeFileSync(join(dir, 'key.pem'), key);
    for (const [f, msg] of [[join(certs, 'garbage.txt'), 'no -----BEGIN CERTIFICATE-----'], [join(certs, 'ca.der'), 'binary'], [join(dir, 'key.pem'), 'PRIVATE KEY'], [join(certs, 'broken-base64.pem'), 'not a valid X.509']]) {
      const r = await run(['trust-ca', 'add', 'registry.lab.example.com:5000', '--cert', f, '-f', file, '--yes']);
      expect(r.code, f).to.equal(2);
      expect(r.stderr, f).to.contain(msg);
    }
    expect(readFileSync(file, 'utf8')).to.equal(GITOPS);
    let r = await run(['trust-ca', 'add', 'registry.lab.example.com:5000', '--cert', join(certs, 'bundle-two-cas.pem'), '-f', file, '--yes']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('CN=Lab Registry CA').and.contain('CN=Second CA').and.match(/in \d+ days/);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(GITOPS.split('  # trailing')[0]!)).to.equal(true);
    const docs = text.split(/^---\n/m).map((d) => parse(d)).filter(Boolean);
    const cm = docs.find((d) => d.kind === 'ConfigMap');
    expect(cm.metadata).to.deep.equal({name: 'registry-cas', namespace: 'openshift-config'});
    expect(Object.keys(cm.data)).to.deep.equal(['registry.lab.example.com..5000']);
    expect(cm.data['registry.lab.example.com..5000'].match(/BEGIN CERTIFICATE/g)).to.have.length(2);
    expect(docs.find((d) => d.kind === 'Image').spec.additionalTrustedCA).to.deep.equal({name: 'registry-cas'});
    r = await run(['trust-ca', 'list', '-f', file]);
    expect(r.stdout).to.match(/registry.lab.example.com:5000\t\d+ days\tCA\tCN=Lab Registry CA, O=Example/);
    r = await run(['trust-ca', 'add', 'registry.example.com', '--cert', join(certs, 'leaf-not-ca.pem'), '-f', file, '--yes']);
    expect(r.code).to.equal(0);
    expect(r.stderr).to.contain('is not a CA');
    r = await run(['trust-ca', 'remove', 'registry.lab.example.com:5000', '-f', file, '--yes']);
    expect(r.code).to.equal(0);
    r = await run(['trust-ca', 'list', '-f', file, '--json']);
    expect(JSON.parse(r.stdout).result.entries.map((e: {host: string}) => e.host)).to.deep.equal(['registry.example.com']);
  });

  it('list shows the entries', async () => {
    const dir = tmp({'image.yaml': GITOPS});
    const r = await run(['allow', 'list', '-f', join(dir, 'image.yaml')]);
    expect(r.stdout).to.equal('quay.io\nregistry.redhat.io\nimage-registry.openshift-image-registry.svc:5000\n');
  });
});
