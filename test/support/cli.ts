/**
 * Running the real CLI: in this process by default (the bundle's own oclif, see in-process.ts), or as a
 * child process (bin/run.js) for the spawn smoke tests and for standard input.
 */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';
import {runInProcess} from './in-process.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'run.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The command in this process (no stdin): same output and exit code as bin/run.js. */
export async function cli(args: string[], opts: {cwd?: string; env?: Record<string, string>; input?: string} = {}): Promise<CliResult> {
  if (opts.input !== undefined) return spawnCli(args, opts);
  const r = await runInProcess(args, opts.env ?? {}, {cwd: opts.cwd ?? ROOT});
  return {status: r.code, stdout: r.stdout, stderr: r.stderr};
}

/** bin/run.js as a child process, as users and scripts run it. */
export function spawnCli(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: {...process.env, NO_COLOR: '1', ...opts.env},
    input: opts.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr};
}

export async function cliJson<T = Record<string, unknown>>(args: string[], opts: Parameters<typeof cli>[1] = {}): Promise<CliResult & {json: T}> {
  const r = await cli([...args, '--json'], opts);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return {...r, json};
}
