/** Running the real CLI (bin/run.js) as a child process, as users and scripts do. */
import {spawnSync} from 'node:child_process';
import {join} from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'run.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): CliResult {
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

export function cliJson<T = Record<string, unknown>>(args: string[], opts: Parameters<typeof cli>[1] = {}): CliResult & {json: T} {
  const r = cli([...args, '--json'], opts);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return {...r, json};
}
