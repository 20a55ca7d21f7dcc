/**
 * Running the `oc` binary: one child process, a timeout that kills it (SIGTERM,
 * then SIGKILL), captured output. No shell is involved; arguments go as given.
 */
import {spawn} from 'node:child_process';

export interface OcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The binary could not be started (ENOENT, EACCES). */
  spawnError?: string;
  elapsedMs: number;
}

export interface OcRunOptions {
  /** Path of the oc binary (default: `oc` on PATH). */
  oc?: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Grace period between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Stop reading stdout after this many bytes (the process is killed). */
  maxBytes?: number;
}

const DEFAULT_MAX = 64 * 1024 * 1024;

export function runOc(args: string[], opts: OcRunOptions): Promise<OcResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(opts.oc ?? 'oc', args, {stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env, detached: process.platform !== 'win32'});
    } catch (e) {
      resolve({code: null, signal: null, stdout: '', stderr: '', timedOut: false, spawnError: (e as Error).message, elapsedMs: Date.now() - started});
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    let spawnError: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (sig: NodeJS.Signals) => {
      try {
        // The child leads its own process group: its helpers (e.g. a shell) go with it.
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), opts.killGraceMs ?? 2000);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > (opts.maxBytes ?? DEFAULT_MAX)) stop();
      else out.push(b);
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (err.reduce((n, x) => n + x.length, 0) < 1024 * 1024) err.push(b);
    });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        ...(spawnError ? {spawnError} : {}),
        elapsedMs: Date.now() - started,
      });
    });
  });
}
