/**
 * kubectl's `--dry-run` spellings for the editing commands: `--dry-run` and
 * `--dry-run=client` (plan only), `--dry-run=server` (the API server validates
 * and admits the writes with dryRun=All), `--dry-run=none` (apply). Any other
 * value is a usage error, never an extra positional entry.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import type {DryRunMode} from '../services/edit-session.js';

const MODES: DryRunMode[] = ['none', 'client', 'server'];

/** The argv with every `--dry-run=VALUE` reduced to the boolean flag oclif knows, and the mode asked for (the last wins, as in kubectl). */
export function takeDryRun(argv: string[]): {argv: string[]; mode: DryRunMode} {
  let mode: DryRunMode = 'none';
  const out: string[] = [];
  let rest = false;
  for (const a of argv) {
    if (rest || a === '--') {
      rest = true;
      out.push(a);
      continue;
    }
    if (a === '--dry-run') {
      mode = 'client';
      out.push(a);
      continue;
    }
    if (!a.startsWith('--dry-run=')) {
      out.push(a);
      continue;
    }
    const v = a.slice('--dry-run='.length);
    if (!(MODES as string[]).includes(v)) throw new UserError(`--dry-run=${v.slice(0, 40)}: expected --dry-run, --dry-run=client, --dry-run=server or --dry-run=none`, ExitCode.usage);
    mode = v as DryRunMode;
    if (mode !== 'none') out.push('--dry-run');
  }
  return {argv: out, mode};
}
