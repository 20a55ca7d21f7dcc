/**
 * Running the real CLI in this process: the built bundle's own oclif `run` with
 * a Config loaded once (dist/bundle/cli.cjs, the script bin/run.js runs), stdout and stderr captured, environment variables set
 * for the run and restored after. Same commands, flags, output and exit codes as
 * bin/run.js, without a Node start per command. Spawn tests (test/smoke) keep
 * the real binary honest.
 */
import {existsSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

interface Bundle {
  run(argv: string[], config: unknown): Promise<unknown>;
  loadConfig(): Promise<unknown>;
  setClock(c: Clock): Clock;
  virtualClock(start?: number): Clock;
}

let loading: Promise<{bundle: Bundle; config: unknown}> | undefined;

/** dist/bundle/cli.cjs, evaluated as bin/run.js evaluates it (bin/script-cache.cjs, the build's code cache). */
async function load(): Promise<{bundle: Bundle; config: unknown}> {
  // oclif fixes its wrapping width when it loads: 80 columns, as for output that is not a terminal
  // (which captured output is), also when the test runner itself writes to one.
  const columns = process.env.OCLIF_COLUMNS;
  process.env.OCLIF_COLUMNS ??= '80';
  const require = createRequire(import.meta.url);
  const {evaluate} = require(join(ROOT, 'bin', 'script-cache.cjs')) as {evaluate(source: string, opts: {filename: string; dirname: string; cachedData?: Buffer; require: NodeJS.Require}): {exports: unknown}};
  const filename = join(ROOT, 'dist', 'bundle', 'cli.cjs');
  const cachedData = existsSync(filename.replace(/\.cjs$/, '.cache')) ? readFileSync(filename.replace(/\.cjs$/, '.cache')) : undefined;
  const bundle = evaluate(readFileSync(filename, 'utf8'), {filename, dirname: dirname(filename), cachedData, require: createRequire(filename)}).exports as Bundle;
  if (columns === undefined) delete process.env.OCLIF_COLUMNS;
  const config = await bundle.loadConfig();
  return {bundle, config};
}

let running = false;

/** One command at a time: stdout, stderr, the environment and the exit code are process-wide. */
export async function runInProcess(args: string[], env: Record<string, string | undefined> = {}, opts: {realClock?: boolean; cwd?: string} = {}): Promise<InProcessResult> {
  if (running) throw new Error('runInProcess: a command is already running in this process (use spawn for concurrent runs)');
  running = true;
  const {bundle, config} = await (loading ??= load());
  let stdout = '';
  let stderr = '';
  const saved = {out: process.stdout.write, err: process.stderr.write, exitCode: process.exitCode, env: {...process.env}};
  const capture = (sink: 'out' | 'err') =>
    ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (sink === 'out') stdout += text;
      else stderr += text;
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  for (const [k, v] of Object.entries({NO_COLOR: '1', ...env})) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  process.exitCode = undefined;
  const savedCwd = process.cwd();
  if (opts.cwd) process.chdir(opts.cwd);
  // Waits and retry back-off run on a virtual clock: they return at once and move its time forward.
  const savedClock = opts.realClock ? undefined : bundle.setClock(bundle.virtualClock(Date.parse('2026-01-01T00:00:00Z')));
  process.stdout.write = capture('out');
  process.stderr.write = capture('err');
  // Captured output and no input: no terminal, also when the test runner itself runs on one.
  const ttys = [process.stdin, process.stdout, process.stderr].map((stream) => {
    const own = Object.getOwnPropertyDescriptor(stream, 'isTTY');
    Object.defineProperty(stream, 'isTTY', {value: false, configurable: true, writable: true});
    return () => (own ? Object.defineProperty(stream, 'isTTY', own) : delete (stream as {isTTY?: boolean}).isTTY);
  });
  let code: number;
  try {
    await bundle.run(args, config);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    // What oclif's handler prints for errors that escape a command (an unknown command, --help's exit).
    const err = e as Error & {oclif?: {exit?: number}};
    const exit = err.oclif?.exit;
    if (exit === 0) code = 0;
    else {
      stderr += `${err.message}\n`;
      code = typeof exit === 'number' ? exit : 70;
    }
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    for (const restore of ttys) restore();
    process.exitCode = saved.exitCode;
    if (opts.cwd) process.chdir(savedCwd);
    if (savedClock) bundle.setClock(savedClock);
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
    Object.assign(process.env, saved.env);
    running = false;
  }
  return {code, stdout, stderr};
}
