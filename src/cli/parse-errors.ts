/**
 * oclif's parse errors, told the way the rest of the tool tells errors: one
 * line that says which flag or argument, what value, and why, with the nearest
 * flag for a misspelt one. Matched on the shape oclif gives them (the parser's
 * error classes are not exported), so a message oclif changes falls back to
 * its own first line rather than to a bug.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';
import {suggest} from '../model/suggest.js';

interface FlagDef {
  type: string;
  char?: string;
  min?: number;
  options?: readonly string[];
}

interface ArgDef {
  name?: string;
  description?: string;
}

interface OclifParseError extends Error {
  flags?: string[];
  args?: ArgDef[] | string[];
}

export interface ParseContext {
  /** `oc-registries allow add`, for usage hints. */
  command: string;
  usage?: string;
  flags: Record<string, FlagDef>;
  argv: string[];
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function flagValue(argv: string[], name: string, char?: string): string | undefined {
  for (let i = argv.length - 1; i >= 0; i--) {
    const a = argv[i]!;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}` || (char && a === `-${char}`)) return argv[i + 1];
  }
  return undefined;
}

function integerWanted(flag: FlagDef): string {
  if (flag.min === 1) return 'a positive integer';
  if (flag.min === 0) return 'a non-negative integer';
  return flag.min !== undefined ? `an integer of at least ${flag.min}` : 'an integer';
}

function unknownFlag(token: string, ctx: ParseContext): string {
  const name = token.replace(/^-+/, '').replace(/=.*$/, '');
  const known = Object.keys(ctx.flags);
  const near = token.startsWith('--') ? suggest(name, known) ?? known.find((k) => k.replace(/-/g, '') === name.replace(/-/g, '')) : undefined;
  return `unknown flag ${token.replace(/=.*$/, '')}${near ? ` (did you mean --${near}?)` : ''}`;
}

/** The one-line usage error for an error thrown by oclif's parser; the error itself when it is not one. */
export function parseError(err: unknown, ctx: ParseContext): unknown {
  const e = err as OclifParseError & {oclif?: {exit?: number}};
  if (!(e instanceof Error) || e instanceof UserError || typeof e.oclif?.exit !== 'number') return err;
  const msg = strip(e.message).replace(/\nSee more help with --help\s*$/, '');
  let line: string | undefined;
  if (Array.isArray(e.flags) && msg.startsWith('Nonexistent flag')) {
    line = e.flags.map((f) => unknownFlag(f, ctx)).join('; ');
  } else if (Array.isArray(e.args) && msg.startsWith('Missing')) {
    const missing = (e.args as ArgDef[]).map((a) => `${String(a.name ?? '').toUpperCase()}${a.description ? ` (${a.description})` : ''}`);
    line = `missing argument ${missing.join(', ')}${ctx.usage ? `; usage: ${ctx.usage}` : ''}`;
  } else if (Array.isArray(e.args) && msg.startsWith('Unexpected argument')) {
    line = `unexpected argument${e.args.length > 1 ? 's' : ''} ${(e.args as string[]).map((a) => `"${a}"`).join(', ')}${ctx.usage ? `; usage: ${ctx.usage}` : ''}`;
  } else {
    const parsing = /^Parsing --([\w-]+)\s*\n\s*(.*)/s.exec(msg);
    const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/s.exec(msg);
    const constraint = /^The following errors? occurred:\s*\n\s*(.*)$/s.exec(msg);
    if (parsing) {
      const [, name, inner] = parsing;
      const flag = ctx.flags[name!];
      const value = flagValue(ctx.argv, name!, flag?.char);
      const why = /^Expected an integer/.test(inner!) && flag ? `expected ${integerWanted(flag)}` : inner!.split('\n')[0]!.replace(/^Error: /, '');
      line = `--${name}${value !== undefined ? ` "${value}"` : ''}: ${why}`;
    } else if (option) {
      line = `--${option[1]} "${option[2]}": expected one of ${option[3]!.trim()}`;
    } else if (constraint) {
      line = constraint[1]!
        .split('\n')
        .map((l) => l.trim().replace(/^--([\w-]+)=\S+ cannot also be provided when using --([\w-]+)$/, '--$1 cannot be used with --$2'))
        .filter(Boolean)
        .join('; ');
    } else {
      line = msg
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join('; ')
        .replace(/^Flag (--[\w-]+)/, '$1');
    }
  }
  return new UserError(line, ExitCode.usage);
}
