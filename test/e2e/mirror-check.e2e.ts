/**
 * End-to-end `mirror check`: real docker-registry instances in the lab's loopback-only
 * network namespace (lab.sh: 5001-5003 HTTP, 5004 HTTPS from the test CA, 5009 down;
 * lab-auth.sh: 5005 htpasswd Basic, 5006 Bearer with a token server on 5008). For each
 * case the CLI (`mirror check --json`, run inside that namespace) must give the expected
 * verdict and endpoint statuses, and real skopeo, given the node files `render --out`
 * writes for the same manifests (and the same credentials), must pull from exactly the
 * endpoint `mirror check` named (registry access logs + containers/image debug lines),
 * or fail when it says nothing serves the image.
 */
import {expect} from 'chai';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ImageCheck} from '../../src/model/mirror-check.js';
import {classify, E2E_DIR, endpointsTried, finalError, LAB_DIR, preflight, servedBy, startLab, stopLab, takeMarks, TEST_CA, type LabEnv} from './support/lab.js';

const BIN = join(E2E_DIR, '..', '..', 'bin', 'run.js');
const AUTH_PORTS = ['5005', '5006'];

const header = (insecure: string[], extra = '') => `apiVersion: config.openshift.io/v1
kind: Image
metadata:
  name: cluster
spec:
${extra}  registrySources:
    insecureRegistries: ${JSON.stringify(insecure.map((p) => `127.0.0.1:${p}`))}
`;
const idms = (mirrors: string[], policy = '') => `---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: lab-mirrors
spec:
  imageDigestMirrors:
  - source: 127.0.0.1:5001/lab
    mirrors: ${JSON.stringify(mirrors)}
${policy ? `    mirrorSourcePolicy: ${policy}\n` : ''}`;
const itms = (mirrors: string[]) => `---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata:
  name: lab-tag-mirrors
spec:
  imageTagMirrors:
  - source: 127.0.0.1:5001/lab
    mirrors: ${JSON.stringify(mirrors)}
`;
const caConfigMap = () => `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: lab-ca
  namespace: openshift-config
data:
  127.0.0.1..5004: |
${readFileSync(TEST_CA, 'utf8').trim().split('\n').map((l) => '    ' + l).join('\n')}
`;

interface Case {
  name: string;
  manifests: string;
  /** $APP / $ONLY3 expand to the lab digests. */
  image: string;
  flags?: string[];
  /** Give mirror check and skopeo the lab's auth.json. */
  auth?: boolean;
  verdict: ImageCheck['verdict'];
  servedBy: string | null;
  /** Endpoint statuses in node order. */
  statuses: string[];
  exit: number;
}

const ALL = ['5001', '5002', '5003', '5004', '5005', '5006', '5009'];
const blocked = (scopes: string[]) => header(ALL).replace('  registrySources:\n', `  registrySources:\n    blockedRegistries: ${JSON.stringify(scopes)}\n`);
const CASES: Case[] = [
  {name: 'served by the first mirror', manifests: header(ALL) + idms(['127.0.0.1:5002/lab', '127.0.0.1:5003/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5002/lab', statuses: ['served', 'skipped', 'skipped'], exit: 0},
  {name: 'first mirror down, the second serves', manifests: header(ALL) + idms(['127.0.0.1:5009/lab', '127.0.0.1:5002/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5002/lab', statuses: ['unreachable', 'served', 'skipped'], exit: 0},
  {name: 'first mirror lacks the digest, the second serves', manifests: header(ALL) + idms(['127.0.0.1:5002/lab', '127.0.0.1:5003/lab']), image: '127.0.0.1:5001/lab/only3@$ONLY3', verdict: 'mirror', servedBy: '127.0.0.1:5003/lab', statuses: ['missing', 'served', 'skipped'], exit: 0},
  {name: 'tag pull skips digest-only mirrors and goes to the source', manifests: header(ALL) + idms(['127.0.0.1:5002/lab', '127.0.0.1:5003/lab']), image: '127.0.0.1:5001/lab/app:v1', verdict: 'source', servedBy: '127.0.0.1:5001/lab', statuses: ['skipped', 'skipped', 'served'], exit: 0},
  {name: 'tag pull to the source fails --require-mirror', manifests: header(ALL) + idms(['127.0.0.1:5002/lab']), image: '127.0.0.1:5001/lab/app:v1', flags: ['--require-mirror'], verdict: 'source', servedBy: '127.0.0.1:5001/lab', statuses: ['skipped', 'served'], exit: 1},
  {name: 'NeverContactSource with no mirror holding the image fails', manifests: header(ALL) + idms(['127.0.0.1:5002/nothere'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'fail', servedBy: null, statuses: ['missing', 'skipped'], exit: 1},
  {name: 'Basic auth mirror: unauthorized without the pull secret', manifests: header(ALL) + idms(['127.0.0.1:5005/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'fail', servedBy: null, statuses: ['unauthorized', 'skipped'], exit: 1},
  {name: 'Basic auth mirror: served with the pull secret', manifests: header(ALL) + idms(['127.0.0.1:5005/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', auth: true, verdict: 'mirror', servedBy: '127.0.0.1:5005/lab', statuses: ['served', 'skipped'], exit: 0},
  {name: 'Bearer token mirror: unauthorized without the pull secret, the source serves', manifests: header(ALL) + idms(['127.0.0.1:5006/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'source', servedBy: '127.0.0.1:5001/lab', statuses: ['unauthorized', 'served'], exit: 0},
  {name: 'Bearer token mirror: served with the pull secret', manifests: header(ALL) + idms(['127.0.0.1:5006/lab']), image: '127.0.0.1:5001/lab/app@$APP', auth: true, verdict: 'mirror', servedBy: '127.0.0.1:5006/lab', statuses: ['served', 'skipped'], exit: 0},
  {name: 'HTTPS mirror: TLS error without the CA', manifests: header(ALL.filter((p) => p !== '5004')) + idms(['127.0.0.1:5004/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'fail', servedBy: null, statuses: ['tls-error', 'skipped'], exit: 1},
  {name: 'HTTPS mirror: served with the additionalTrustedCA', manifests: header(ALL.filter((p) => p !== '5004'), '  additionalTrustedCA:\n    name: lab-ca\n') + idms(['127.0.0.1:5004/lab'], 'NeverContactSource') + caConfigMap(), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5004/lab', statuses: ['served', 'skipped'], exit: 0},
  // blockedRegistries also writes `reject` for the scope into policy.json, and policy judges the source name:
  // the mirror holds the digest, yet the node refuses it.
  {name: 'blocked source (blockedRegistries) with a mirror: rejected by policy although the mirror holds it', manifests: blocked(['127.0.0.1:5001']) + idms(['127.0.0.1:5002/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'rejected', servedBy: null, statuses: ['skipped', 'skipped'], exit: 1},
  // NeverContactSource blocks the source in registries.conf only: the mirror serves digests, tags have nowhere to go.
  {name: 'blocked source (NeverContactSource) with a mirror: the mirror serves the digest', manifests: header(ALL) + idms(['127.0.0.1:5002/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5002/lab', statuses: ['served', 'skipped'], exit: 0},
  {name: 'blocked source (NeverContactSource) with a mirror: a tag pull is rejected', manifests: header(ALL) + idms(['127.0.0.1:5002/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app:v1', verdict: 'rejected', servedBy: null, statuses: ['skipped', 'skipped'], exit: 1},
  {name: 'blocked first mirror is skipped, the second serves', manifests: blocked(['127.0.0.1:5002']) + idms(['127.0.0.1:5002/lab', '127.0.0.1:5003/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5003/lab', statuses: ['skipped', 'served', 'skipped'], exit: 0},
  {name: 'HTTPS mirror marked insecure: served without the CA', manifests: header(ALL) + idms(['127.0.0.1:5004/lab'], 'NeverContactSource'), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'mirror', servedBy: '127.0.0.1:5004/lab', statuses: ['served', 'skipped'], exit: 0},
  {name: 'plain-HTTP mirror not marked insecure: TLS error, the source serves', manifests: header(ALL.filter((p) => p !== '5002')) + idms(['127.0.0.1:5002/lab']), image: '127.0.0.1:5001/lab/app@$APP', verdict: 'source', servedBy: '127.0.0.1:5001/lab', statuses: ['tls-error', 'served'], exit: 0},
  {name: 'tag pull through a tag-only mirror (ImageTagMirrorSet)', manifests: header(ALL) + itms(['127.0.0.1:5003/lab']), image: '127.0.0.1:5001/lab/app:v1', verdict: 'mirror', servedBy: '127.0.0.1:5003/lab', statuses: ['served', 'skipped'], exit: 0},
  {name: '--all-endpoints probes past the serving mirror; the node still pulls from the first', manifests: header(ALL) + idms(['127.0.0.1:5009/lab', '127.0.0.1:5003/lab', '127.0.0.1:5002/lab']), image: '127.0.0.1:5001/lab/app@$APP', flags: ['--all-endpoints'], verdict: 'mirror', servedBy: '127.0.0.1:5003/lab', statuses: ['unreachable', 'served', 'served', 'served'], exit: 0},
  {name: 'policy-rejected image', manifests: header(ALL).replace('  registrySources:\n', '  registrySources:\n    allowedRegistries: ["127.0.0.1:5003"]\n'), image: '127.0.0.1:5001/lab/app:v1', verdict: 'rejected', servedBy: null, statuses: ['skipped'], exit: 1},
];

function netnsPid(lab: LabEnv): string {
  return readFileSync(join(lab.state, 'netns.pid'), 'utf8').trim();
}

function cli(lab: LabEnv, args: string[]) {
  return spawnSync('nsenter', [`--net=/proc/${netnsPid(lab)}/ns/net`, '--', process.execPath, BIN, ...args], {encoding: 'utf8', timeout: 120_000, env: {...process.env, NO_COLOR: '1'}});
}

/** skopeo copy on the rendered node files, as the lab's `pull` check runs it, optionally with credentials. */
function skopeo(lab: LabEnv, root: string, ref: string, authfile?: string) {
  const auth = authfile ? `--src-authfile ${authfile} ` : '';
  const t0 = Date.now();
  const r = spawnSync('bash', ['-c', 'exec "$@" 2>&1', 'run', 'timeout', '90', 'bash', join(LAB_DIR, 'lab-run.sh'), root, '--', 'sh', '-c', `skopeo --debug --command-timeout 60s copy ${auth}"$1" "dir:$TMPDIR/img"`, 'sh', `docker://${ref}`], {
    env: {...process.env, LAB_STATE: lab.state},
    encoding: 'utf8',
    timeout: 100_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {rc: r.status ?? 124, log: (r.stdout ?? '') + (r.stderr ?? ''), ms: Date.now() - t0};
}

const hostOf = (location: string) => location.split('/')[0]!;

describe('e2e: mirror check against real registries, confirmed by skopeo on the rendered node files', function () {
  this.timeout(600_000);
  let lab: LabEnv;
  const state = `/tmp/ocreg-e2e-mc-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'ocreg-e2e-mc-'));
  let authfile: string;

  before(function () {
    const why = preflight() ?? (spawnSync('sh', ['-c', 'command -v htpasswd'], {stdio: 'ignore'}).status !== 0 ? 'htpasswd missing: apt-get install -y apache2-utils' : undefined);
    if (why) throw new Error(`e2e preflight: ${why}`);
    lab = startLab(state);
    const r = spawnSync('bash', [join(LAB_DIR, 'lab-auth.sh'), 'start'], {env: {...process.env, LAB_STATE: state, NODE: process.execPath}, encoding: 'utf8', timeout: 120_000});
    if (r.status !== 0) throw new Error(`lab-auth did not start (exit ${r.status}): ${r.stderr}`);
    lab = {...lab, ports: [...lab.ports, ...AUTH_PORTS]};
    authfile = join(state, 'auth', 'auth.json');
  });

  after(function () {
    spawnSync('bash', [join(LAB_DIR, 'lab-auth.sh'), 'stop'], {env: {...process.env, LAB_STATE: state}, timeout: 30_000});
    stopLab(state);
    rmSync(work, {recursive: true, force: true});
  });

  CASES.forEach((c, n) => {
    it(`${c.name}: ${c.verdict}${c.servedBy ? ` from ${c.servedBy}` : ''}`, function () {
      const dir = join(work, String(n));
      mkdirSync(dir, {recursive: true});
      const manifests = join(dir, 'manifests.yaml');
      writeFileSync(manifests, c.manifests);
      const image = c.image.replace('$APP', lab.appDigest).replace('$ONLY3', lab.only3Digest);
      const r = cli(lab, ['mirror', 'check', image, '-f', manifests, '--json', ...(c.auth ? ['--pull-secret', authfile] : []), ...(c.flags ?? [])]);
      expect(r.stderr, 'stderr').to.not.contain('lab-pull-s3cret');
      expect(r.stdout, 'credentials never printed').to.not.contain('lab-pull-s3cret');
      const doc = JSON.parse(r.stdout) as {status: number; result: {images: ImageCheck[]}};
      const got = doc.result.images[0]!;
      const detail = JSON.stringify(got.endpoints, null, 1);
      expect(got.verdict, detail).to.equal(c.verdict);
      expect(got.servedBy, detail).to.equal(c.servedBy);
      expect(got.endpoints.map((e) => e.status), detail).to.deep.equal(c.statuses);
      expect(r.status, r.stderr).to.equal(c.exit);
      expect(doc.status).to.equal(c.exit);

      // The node's view: skopeo on the rendered files pulls from the endpoint mirror check named.
      const root = join(dir, 'root');
      render(manifests, root);
      const problems = disagreements(lab, root, image, got, c.auth ? authfile : undefined);
      expect(problems, problems.join('\n')).to.deep.equal([]);
    });
  });

  it('negative control: node files that differ from the manifests make skopeo disagree with mirror check', function () {
    const dir = join(work, 'negative');
    mkdirSync(dir, {recursive: true});
    const manifests = join(dir, 'manifests.yaml');
    writeFileSync(manifests, CASES[0]!.manifests);
    const image = `127.0.0.1:5001/lab/app@${lab.appDigest}`;
    const r = cli(lab, ['mirror', 'check', image, '-f', manifests, '--json']);
    const got = (JSON.parse(r.stdout) as {result: {images: ImageCheck[]}}).result.images[0]!;
    expect(got.servedBy).to.equal('127.0.0.1:5002/lab');
    const root = join(dir, 'root');
    render(manifests, root);
    // Drop the first mirror from the rendered registries.conf: the node now pulls from 5003.
    const conf = join(root, 'etc', 'containers', 'registries.conf');
    const text = readFileSync(conf, 'utf8');
    const tampered = text.replace(/\[\[registry\.mirror\]\]\s*location = "127\.0\.0\.1:5002\/lab"[^[]*/, '');
    expect(tampered).to.not.equal(text);
    writeFileSync(conf, tampered);
    const problems = disagreements(lab, root, image, got, undefined);
    expect(problems.join('\n')).to.contain('served by 127.0.0.1:5003');
  });
});

function render(manifests: string, root: string): void {
  const r = spawnSync(process.execPath, [BIN, 'render', '-f', manifests, '--out', root], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`render failed (exit ${r.status}): ${r.stderr}`);
}

/** What real skopeo does on the node files ROOT, compared with mirror check's answer; empty when they agree. */
function disagreements(lab: LabEnv, root: string, image: string, got: ImageCheck, authfile: string | undefined): string[] {
  const marks = takeMarks(lab);
  const pull = skopeo(lab, root, image, authfile);
  const served = servedBy(lab, marks);
  const tried = endpointsTried(pull.log);
  const why = `skopeo: rc ${pull.rc}, tried ${tried.join(' > ') || 'nothing'}, served by ${served.join(', ') || 'none'}: ${finalError(pull.log).slice(0, 300)}`;
  const out: string[] = [];
  if (got.servedBy) {
    const host = hostOf(got.servedBy);
    if (pull.rc !== 0 || served.join() !== host || tried[tried.length - 1] !== host) out.push(`mirror check says ${got.servedBy} serves it; ${why}`);
  } else if (pull.rc === 0) out.push(`mirror check says nothing serves it (${got.verdict}); ${why}`);
  else if (got.verdict === 'rejected' && !['rejected', 'blocked'].includes(classify(pull))) out.push(`mirror check says rejected; ${why}`);
  else if (got.verdict !== 'rejected' && served.length > 0) out.push(`mirror check says nothing serves it; ${why}`);
  // The endpoints skopeo tried, in order, are those mirror check contacted plus the blocked ones
  // (containers/image lists them and fails them at once), up to the one that serves.
  if (got.verdict !== 'rejected') {
    const upTo = got.endpoints.findIndex((e) => e.status === 'served');
    const contacted = got.endpoints
      .slice(0, upTo === -1 ? undefined : upTo + 1)
      .filter((e) => e.status !== 'skipped' || /^(blocked|never contact source)/.test(e.reason ?? ''))
      .map((e) => hostOf(e.location));
    if (tried.join(' > ') !== contacted.join(' > ')) out.push(`mirror check contacted ${contacted.join(' > ')}; ${why}`);
  }
  return out;
}
