/**
 * The local registry lab for the e2e suite: tool checks, start/stop (lab/lab.sh),
 * running skopeo/podman on a rendered /etc (lab/lab-run.sh) and reading what
 * really happened (exit code, error text, endpoints tried, registry access logs).
 */
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const LAB_DIR = join(E2E_DIR, 'lab');
export const TEST_CA = join(E2E_DIR, 'testca', 'ca.crt');

/** command -> Debian package that provides it. */
export const REQUIRED: Record<string, string> = {
  skopeo: 'skopeo',
  podman: 'podman',
  'docker-registry': 'docker-registry',
  openssl: 'openssl',
  curl: 'curl',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  setsid: 'util-linux',
  ip: 'iproute2',
  timeout: 'coreutils',
  tar: 'tar',
  gzip: 'gzip',
};

/** Commands that are missing, as the apt-get line that installs them; undefined when all are there. */
export function missingTools(path = process.env.PATH ?? ''): string | undefined {
  const missing = Object.keys(REQUIRED).filter((c) => spawnSync('/bin/sh', ['-c', `command -v ${c}`], {stdio: 'ignore', env: {PATH: path}}).status !== 0);
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map((c) => REQUIRED[c]!))].sort();
  return `missing ${missing.join(', ')}: run  apt-get update && apt-get install -y ${pkgs.join(' ')}`;
}

export function preflight(): string | undefined {
  if (process.getuid?.() !== 0) return 'the e2e suite needs root (mount and network namespaces)';
  const tools = missingTools();
  if (tools) return tools;
  if (spawnSync('unshare', ['-m', '-n', 'true'], {stdio: 'ignore'}).status !== 0) return 'cannot create mount/network namespaces (unshare -m -n): needs CAP_SYS_ADMIN';
  return undefined;
}

export interface LabEnv {
  state: string;
  appDigest: string;
  only3Digest: string;
  ports: string[];
}

function bash(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return spawnSync('bash', args, {env: {...process.env, ...env}, encoding: 'utf8', timeout: timeoutMs});
}

export function startLab(state: string): LabEnv {
  const r = bash([join(LAB_DIR, 'lab.sh'), 'start'], {LAB_STATE: state, LAB_TTL: '900'}, 120_000);
  if (r.status !== 0) throw new Error(`lab did not start (exit ${r.status}): ${r.stderr}`);
  const env = Object.fromEntries(
    readFileSync(join(state, 'lab.env'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^"|"$/g, '')]),
  );
  return {state, appDigest: env.APP_DIGEST!, only3Digest: env.ONLY3_DIGEST!, ports: env.LAB_PORTS!.split(' ')};
}

export function stopLab(state: string): void {
  bash([join(LAB_DIR, 'lab.sh'), 'stop'], {LAB_STATE: state}, 60_000);
}

const PODMAN = ['podman', '--log-level', 'debug', '--storage-driver', 'vfs', '--events-backend', 'none', '--cgroup-manager', 'cgroupfs',
  '--network-config-dir', '/run/containers/networks', '--tmpdir', '/run/containers/libpod'];

export type Verb = 'pull' | 'podman-pull' | 'resolve';

export interface RealRun {
  rc: number;
  log: string;
  ms: number;
}

/** Run one check's tool against the rendered tree ROOT (ROOT/etc/containers, ROOT/etc/docker). */
export function runTool(lab: LabEnv, root: string, verb: Verb, ref: string): RealRun {
  let cmd: string[];
  if (verb === 'pull') cmd = ['sh', '-c', 'skopeo --debug --command-timeout 60s copy "$1" "dir:$TMPDIR/img"', 'sh', `docker://${ref}`];
  else if (verb === 'podman-pull') cmd = [...PODMAN, 'pull', ref];
  else cmd = ['sh', '-c', 'n=$1; shift; "$@" pull "$n" && "$@" images --format "RESOLVED {{.Repository}}:{{.Tag}}"', 'sh', ref, ...PODMAN];
  const t0 = Date.now();
  const r = spawnSync('bash', ['-c', 'exec "$@" 2>&1', 'run', 'timeout', '90', 'bash', join(LAB_DIR, 'lab-run.sh'), root, '--', ...cmd], {
    env: {...process.env, LAB_STATE: lab.state},
    encoding: 'utf8',
    timeout: 100_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return {rc: r.status ?? 124, log: (r.stdout ?? '') + (r.stderr ?? ''), ms: Date.now() - t0};
}

export type RealClass = 'ok' | 'blocked' | 'rejected' | 'unsigned' | 'tls-error' | 'error' | 'timeout';

/** The tool's final error message (podman's per-candidate " * " lines appended). */
export function finalError(log: string): string {
  let msg = '';
  let inErr = false;
  for (const line of log.split('\n')) {
    if (/level=fatal|^Error: /.test(line)) {
      msg = line;
      inErr = true;
    } else if (inErr && /^ \* /.test(line)) msg += line;
    else inErr = false;
  }
  return msg.replace(/^time="[^"]*" level=fatal msg="/, '').replace(/^Error: /, '').replace(/\\"/g, '"');
}

export function classify(run: RealRun): RealClass {
  if (run.rc === 0) return 'ok';
  if (run.rc === 124) return 'timeout';
  const err = finalError(run.log);
  if (err.includes('is blocked in')) return 'blocked';
  if (err.includes('rejected by policy')) return 'rejected';
  // A signature requirement (signedBy / sigstoreSigned) met by an image without signatures.
  if (err.includes('A signature was required, but no signature exists')) return 'unsigned';
  if (/x509:|tls: |HTTP response to HTTPS client/.test(err)) return 'tls-error';
  return 'error';
}

/** host:port of every endpoint the client tried, in order, from containers/image debug lines. */
export function endpointsTried(log: string): string[] {
  const out: string[] = [];
  for (const m of log.matchAll(/msg="Trying to access \\"([^/\\]+)[^"]*\\""/g)) out.push(m[1]!);
  return out;
}

/** Short-name candidates podman tried, in order ("Trying to pull X..."). */
export function candidatesTried(log: string): string[] {
  return [...log.matchAll(/^Trying to pull (.*)\.\.\.$/gm)].map((m) => m[1]!);
}

export function resolvedNames(log: string): string[] {
  return [...log.matchAll(/^RESOLVED (.*)$/gm)].map((m) => m[1]!);
}

export type Marks = Map<string, number>;

function regLog(lab: LabEnv, port: string): string[] {
  const p = join(lab.state, `reg-${port}`, 'log');
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n') : [];
}

export function takeMarks(lab: LabEnv): Marks {
  return new Map(lab.ports.map((p) => [p, regLog(lab, p).length]));
}

/** Lab registries whose access log gained a successful manifest GET since the marks. */
export function servedBy(lab: LabEnv, marks: Marks): string[] {
  return lab.ports
    .filter((p) => regLog(lab, p).slice((marks.get(p) ?? 1) - 1).some((l) => /"GET \/v2\/\S+\/manifests\/\S+ HTTP\/[0-9.]+" 200 /.test(l)))
    .map((p) => `127.0.0.1:${p}`);
}
