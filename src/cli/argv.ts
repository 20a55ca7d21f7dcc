/**
 * Flag values the way kubectl reads them, before oclif parses: oclif takes
 * `--yes=true` as the flag `--yes` plus a positional argument `true`, which an
 * editing command would then add to a registry list. Here a yes/no flag takes
 * no value or one of Go's strconv.ParseBool spellings (as pflag does), and
 * `--dry-run` takes none (client) or `=client` / `=server`. Anything else is a
 * usage error (exit 2) before a single argument is read.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';

export const DRY_RUN_VALUES = ['client', 'server', 'none'] as const;

/** The spellings pflag (strconv.ParseBool) accepts for a boolean flag's value. */
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

interface FlagShape {
  type: string;
  char?: string;
  allowNo?: boolean;
}

function usage(message: string): UserError {
  return new UserError(message, ExitCode.usage);
}

function boolName(token: string, flags: Record<string, FlagShape>): string | undefined {
  if (token.startsWith('--')) return flags[token.slice(2)]?.type === 'boolean' ? token.slice(2) : undefined;
  if (/^-[a-zA-Z]$/.test(token)) return Object.entries(flags).find(([, f]) => f.type === 'boolean' && f.char === token[1])?.[0];
  return undefined;
}

/**
 * The argv oclif should see: `--flag=true` becomes `--flag`, `--flag=false` disappears, a bare `--dry-run`
 * becomes `--dry-run=client`. Throws a usage error for any other value of a yes/no flag or of `--dry-run`.
 */
export function normalizeArgv(argv: string[], flags: Record<string, FlagShape>): string[] {
  const out: string[] = [];
  const dryRunTakesValue = flags['dry-run'] !== undefined && flags['dry-run'].type === 'option';
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    const value = eq > 0 ? token.slice(eq + 1) : undefined;
    if (name === '--dry-run' && flags['dry-run']) {
      const next = argv[i + 1];
      if (value === undefined && next !== undefined && (DRY_RUN_VALUES as readonly string[]).includes(next)) {
        throw usage(`--dry-run ${next}: write --dry-run=${next} (a value goes after "="); "${next}" would otherwise be read as an argument`);
      }
      if (value !== undefined && !(DRY_RUN_VALUES as readonly string[]).includes(value) && !(!dryRunTakesValue && (TRUE.has(value) || FALSE.has(value)))) {
        throw usage(`--dry-run=${value}: expected --dry-run, --dry-run=client, --dry-run=server or --dry-run=none`);
      }
      if (dryRunTakesValue) out.push(`--dry-run=${value ?? 'client'}`);
      else if (value === 'server') throw usage('--dry-run=server: this command has no server-side dry run; use --dry-run (client)');
      else if (value === undefined || value === 'client' || TRUE.has(value)) out.push('--dry-run');
      continue;
    }
    const flag = value !== undefined ? boolName(name, flags) : undefined;
    if (flag === undefined) {
      out.push(token);
      continue;
    }
    if (TRUE.has(value!)) out.push(name);
    else if (FALSE.has(value!)) {
      if (flags[flag]!.allowNo) out.push(`--no-${flag}`);
    } else {
      throw usage(`${name}=${value}: --${flag} is a yes/no flag: give it alone, or as --${flag}=true / --${flag}=false`);
    }
  }
  return out;
}
