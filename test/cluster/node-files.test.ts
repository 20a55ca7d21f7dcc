import {expect} from 'chai';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import fc from 'fast-check';
import {classifyFailure, MARKER, ocArgs, parseReadOutput, readScript} from '../../src/cluster/node-files.js';

function nodeRoot(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'noderoot-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), {recursive: true});
    writeFileSync(join(root, p), c);
  }
  return root;
}

const run = (root: string, extra: string[] = []) => parseReadOutput(execFileSync('sh', ['-c', readScript(extra), 'sh', root + '/'], {encoding: 'utf8'}));

describe('reading node files in one shell call', () => {
  it('reads registries.conf, policy.json, the drop-ins and certs.d/*/ca.crt; lists other certs.d files by hash only', () => {
    const root = nodeRoot({
      '/etc/containers/registries.conf': 'a = 1\n',
      '/etc/containers/registries.conf.d/01-image-searchRegistries.conf': 'b = 2\n',
      '/etc/containers/registries.conf.d/99-extra.conf': 'c = 3\n',
      '/etc/docker/certs.d/reg.example.com:5000/ca.crt': 'CERT\n',
      '/etc/docker/certs.d/reg.example.com:5000/client.key': 'SECRET KEY\n',
      '/etc/containers/unrelated': 'no\n',
    });
    const r = run(root);
    expect(r.complete).to.equal(true);
    expect([...r.files.keys()]).to.deep.equal([
      '/etc/containers/registries.conf',
      '/etc/containers/registries.conf.d/01-image-searchRegistries.conf',
      '/etc/containers/registries.conf.d/99-extra.conf',
      '/etc/docker/certs.d/reg.example.com:5000/ca.crt',
    ]);
    expect(r.absent).to.deep.equal(['/etc/containers/policy.json']);
    expect(r.hashes.get('/etc/docker/certs.d/reg.example.com:5000/client.key')).to.equal(createHash('sha256').update('SECRET KEY\n').digest('hex'));
    expect([...r.files.values()].join('')).not.to.contain('SECRET');
  });

  it('reports absent directories and reads extra rendered paths', () => {
    const r = run(nodeRoot({'/etc/containers/policy.json': '{}', '/etc/containers/registries.d/sigstore-registries.yaml': 'docker: {}\n'}), ['/etc/containers/registries.d/sigstore-registries.yaml']);
    expect(r.absent).to.include.members(['/etc/containers/registries.conf', '/etc/containers/registries.conf.d', '/etc/docker/certs.d']);
    expect(r.files.get('/etc/containers/registries.d/sigstore-registries.yaml')).to.equal('docker: {}\n');
  });

  it('a path that is not a regular file is reported, not read', () => {
    const root = nodeRoot({'/etc/containers/policy.json': '{}'});
    mkdirSync(join(root, 'etc/containers/registries.conf'));
    expect(run(root).unreadable).to.deep.equal(['/etc/containers/registries.conf']);
  });

  it('property: any file content, including marker-like lines and binary bytes, round-trips', function () {
    this.timeout(60000);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constant(`${MARKER} END\n${MARKER} FILE /etc/passwd\n`), fc.uint8Array({maxLength: 200}).map((u) => Buffer.from(u).toString('latin1'))), (content) => {
        const root = nodeRoot({'/etc/containers/registries.conf': content});
        const r = run(root);
        expect(r.complete).to.equal(true);
        expect(r.files.get('/etc/containers/registries.conf')).to.equal(Buffer.from(content, 'utf8').toString('utf8'));
        expect(r.files.size).to.equal(1);
      }),
      {numRuns: 40},
    );
  });

  it('output cut short has no END marker and is not complete', () => {
    const r = parseReadOutput(`${MARKER} FILE /etc/containers/registries.conf\nYQ==\n`);
    expect(r.complete).to.equal(false);
  });

  it('builds one oc command per node for both ways in', () => {
    const d = ocArgs('worker-0', {via: 'debug'});
    expect(d.slice(0, 6)).to.deep.equal(['debug', 'node/worker-0', '--quiet', '--', 'chroot', '/host']);
    expect(d.slice(-2)).to.deep.equal(['sh', '/']);
    const m = ocArgs('worker-0', {via: 'mcd', mcdPod: 'machine-config-daemon-abc'});
    expect(m.slice(0, 7)).to.deep.equal(['exec', '-n', 'openshift-machine-config-operator', 'machine-config-daemon-abc', '-c', 'machine-config-daemon', '--']);
    expect(m.slice(-2)).to.deep.equal(['sh', '/rootfs']);
  });

  it('tells an image pull failure apart and suggests --via mcd', () => {
    const base = {code: 1, signal: null, stdout: '', timedOut: false, elapsedMs: 5};
    const pull = classifyFailure({...base, stderr: 'error: container "container-00": ErrImagePull: rejected by policy'}, 'debug', 60000);
    expect(pull.kind).to.equal('image-pull');
    expect(pull.hint).to.match(/--via mcd/);
    // What a current oc prints when the kubelet backs off pulling the debug image.
    const backoff = classifyFailure({...base, stderr: 'Starting pod/worker-0-debug-x7 ...\nTo use host binaries, run `chroot /host`\n\nRemoving debug pod ...\nerror: Back-off pulling image "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:aa"\n'}, 'debug', 60000);
    expect(backoff.kind).to.equal('image-pull');
    expect(backoff.error).to.equal('the debug pod\'s image could not be pulled: Back-off pulling image "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:aa"');
    expect(classifyFailure({...base, stderr: 'error: unable to upgrade connection'}, 'debug', 60000)).to.include({kind: 'exit'});
    expect(classifyFailure({...base, code: null, stderr: '', timedOut: true}, 'debug', 1500).error).to.match(/no answer within 1.5s/);
    expect(classifyFailure({...base, stderr: '', spawnError: 'spawn oc ENOENT'}, 'mcd', 1).kind).to.equal('spawn');
  });
});

