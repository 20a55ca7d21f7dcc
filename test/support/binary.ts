/**
 * Running the single executable (dist/oc-registries-<platform>-<arch>) as on a host without Node:
 * PATH holds only a directory with `oc-registries` (and its plugin names) plus links to the
 * system's programs except node, npm, npx and corepack; where this process may create a mount
 * namespace (root, as in CI), the node binary itself is also hidden behind /dev/null.
 */
import {spawn, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BINARY = join(ROOT, 'dist', `oc-registries-${process.platform}-${process.arch}`);
export const RUN_JS = join(ROOT, 'bin', 'run.js');
const NODE_NAMES = /^(node|nodejs|npm|npx|corepack)$/;

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Nodeless {
  /** PATH of the isolated environment. */
  path: string;
  /** Where the plugin executables are (first on PATH). */
  pluginDir: string;
  /** True when the node binary is also hidden by a private mount. */
  mountHidden: boolean;
  nodeBinary: string;
}

let cached: Nodeless | undefined;
export function nodeless(): Nodeless {
  if (cached) return cached;
  const base = mkdtempSync(join(tmpdir(), 'ocr-nodeless-'));
  const pluginDir = join(base, 'plugins');
  const sysDir = join(base, 'system');
  mkdirSync(pluginDir);
  mkdirSync(sysDir);
  for (const name of ['oc-registries', 'kubectl-registries']) symlinkSync(BINARY, join(pluginDir, name));
  for (const name of ['kubectl_complete-registries', 'oc_complete-registries']) copyFileSync(join(ROOT, 'bin', name), join(pluginDir, name));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const target = join(dir, name);
      if (NODE_NAMES.test(name) || existsSync(join(sysDir, name))) continue;
      try {
        if (statSync(target).isFile()) symlinkSync(target, join(sysDir, name));
      } catch {
        // dangling links and unreadable entries are not programs to offer
      }
    }
  }
  const nodeBinary = realpathSync(process.execPath);
  const mountHidden = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind /dev/null ${nodeBinary}`], {stdio: 'ignore'}).status === 0;
  cached = {path: [pluginDir, sysDir].join(delimiter), pluginDir, mountHidden, nodeBinary};
  return cached;
}

function collect(cmd: string, args: string[], opts: {env: NodeJS.ProcessEnv; cwd?: string; input?: string}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: opts.cwd ?? ROOT, env: opts.env});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({code: code ?? -1, stdout, stderr}));
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The one environment every side of a comparison starts from: nothing of this process's own
 * environment that changes output (CI, FORCE_COLOR, COLUMNS, KUBECONFIG...) leaks into one side only.
 */
function baseEnv(path: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, LANG: 'C', NO_COLOR: '1', ...extra, PATH: path};
}

/** A program (by default `oc-registries`) looked up on the isolated PATH, run without Node in reach. */
export function runNodeless(args: string[], opts: {env?: Record<string, string>; cwd?: string; program?: string; input?: string} = {}): Promise<Result> {
  const n = nodeless();
  const env = baseEnv(n.path, opts.env);
  const argv = [opts.program ?? 'oc-registries', ...args];
  if (n.mountHidden) return collect('unshare', ['-m', '/bin/sh', '-c', `mount --bind /dev/null '${n.nodeBinary}' && exec "$@"`, 'sh', ...argv], {...opts, env});
  return collect('/bin/sh', ['-c', 'exec "$@"', 'sh', ...argv], {...opts, env});
}

/** Any program on this process's PATH (Node in reach), in the same base environment. */
export function runHost(cmd: string, args: string[], opts: {env?: Record<string, string>; cwd?: string} = {}): Promise<Result> {
  return collect(cmd, args, {...opts, env: baseEnv(process.env.PATH ?? '', opts.env)});
}

/** bin/run.js under this Node: the reference the executable must match. */
export function runJs(args: string[], opts: {env?: Record<string, string>; cwd?: string; input?: string} = {}): Promise<Result> {
  return collect(process.execPath, [RUN_JS, ...args], {...opts, env: baseEnv(process.env.PATH ?? '', opts.env)});
}
