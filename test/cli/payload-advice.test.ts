/** Item 3: following the tool's own advice never yields a cluster that cannot pull its own payload. */
import {expect} from 'chai';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {run} from '../support/cluster-fixture.js';

const RELEASE = `quay.io/openshift-release-dev/ocp-release@sha256:${'a'.repeat(64)}`;

function manifest(spec: string, rules: Array<[string, string]>): string {
  return `apiVersion: config.openshift.io/v1
kind: ClusterVersion
metadata:
  name: version
status:
  desired:
    image: ${RELEASE}
    version: 4.18.3
---
apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec: ${spec}
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: release
spec:
  imageDigestMirrors:
${rules.map(([s, m]) => `  - source: ${s}\n    mirrors:\n    - ${m}`).join('\n')}
`;
}

function file(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'payload-advice-')), 'cluster.yaml');
  writeFileSync(f, text);
  return f;
}

const BOTH: Array<[string, string]> = [
  ['quay.io/openshift-release-dev/ocp-release', 'mirror.example.com/ocp/release'],
  ['quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'mirror.example.com/ocp/art-dev'],
];

describe('payload stays pullable after an edit', function () {
  this.timeout(60_000);

  it('blocking quay.io while the payload is mirrored is refused, naming the component repository and what to block instead', async () => {
    const f = file(manifest('{}', BOTH));
    const before = readFileSync(f, 'utf8');
    const r = await run(['block', 'add', 'quay.io', '-f', f, '--yes']);
    expect(r.code, r.stderr).to.equal(2);
    const err = r.stderr.split('\n').filter((l) => l.startsWith('error: ')).join('\n');
    expect(err).to.contain('quay.io/openshift-release-dev/ocp-v4.0-art-dev').and.contain('Block narrower scopes').and.contain('quay.io/openshift-release-dev out');
    expect(readFileSync(f, 'utf8')).to.equal(before);
  });

  it('the same with only the release repository mirrored: components are blocked outright', async () => {
    const f = file(manifest('{}', [BOTH[0]!]));
    const r = await run(['block', 'add', 'quay.io', '-f', f, '--dry-run']);
    expect(r.code, r.stderr).to.equal(2);
    expect(r.stderr).to.contain('makes the payload component images unpullable');
  });

  it('blocking a registry the payload does not use is fine; the mirrored release repository alone (policy.json turns allowlist) is refused', async () => {
    const f = file(manifest('{}', BOTH));
    expect((await run(['block', 'add', 'docker.io', '-f', f, '--dry-run'])).code).to.equal(0);
    const r = await run(['block', 'add', 'quay.io/openshift-release-dev/ocp-release', 'docker.io', '-f', f, '--dry-run']);
    expect(r.code, r.stderr).to.equal(0);
    const alone = await run(['block', 'add', 'quay.io/openshift-release-dev/ocp-release', '-f', f, '--dry-run']);
    expect(alone.code).to.equal(2);
    expect(alone.stderr).to.contain('unpullable');
  });

  it('an allowlist that leaves the payload out stays a warning (and --strict refuses it)', async () => {
    const f = file(manifest('{}', BOTH));
    const r = await run(['allow', 'add', 'mirror.example.com', '-f', f, '--dry-run']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('warning:').and.contain('quay.io');
    expect((await run(['allow', 'add', 'mirror.example.com', '-f', f, '--dry-run', '--strict'])).code).to.equal(2);
  });

  it('suggested commands keep the -f the user gave', async () => {
    // No mirror for the payload: MCO drops the block; the advice is to mirror first, in the same manifests.
    const f = file(manifest('{}', [['registry.example.com/x', 'mirror.example.com/x']]));
    const r = await run(['block', 'add', 'quay.io/openshift-release-dev', '-f', f, '--dry-run']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(new RegExp(`\`oc registries mirror add quay.io/openshift-release-dev/ocp-release \\S+ -f ${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\``));
  });
});
