import {ExitCode, type ExitCodeValue} from './exit-codes.js';

/** One thing wrong with the input: where it is, what it holds, what is wrong. */
export interface Problem {
  /** Field path, e.g. `spec.registrySources.blockedRegistries[0]`. */
  field: string;
  /** The offending value as the user wrote it (may be absent for structural problems). */
  value?: unknown;
  /** What is wrong, in one sentence. */
  message: string;
  /** `file:line` of the object when it came from a manifest. */
  source?: string;
  /** The text MCO itself would log or return for the same input, when there is one. */
  mco?: string;
}

/** An error the user can fix. Never a bug. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly exitCode: ExitCodeValue = ExitCode.usage, readonly hint?: string) {
    super(message);
  }
}

/** Input that the API server or MCO would refuse; carries one problem per line. */
export class ValidationError extends UserError {
  override name = 'ValidationError';
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'), ExitCode.usage);
  }
}

/** The cluster could not be reached, refused us, or a pool is degraded. */
export class ClusterError extends UserError {
  override name = 'ClusterError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.cluster, hint);
  }
}

/** An optimistic-concurrency conflict that did not resolve. Nothing was changed. */
export class ConflictError extends UserError {
  override name = 'ConflictError';
  constructor(message: string) {
    super(message, ExitCode.conflict);
  }
}

/** Go-style %q quoting (strconv.Quote), so values read the way MCO prints them. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfeff || cp === 0x2028 || cp === 0x2029) {
      out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}

/** Go-style %q of a []string: `["a" "b"]`. */
export function goQuoteList(list: string[]): string {
  return '[' + list.map(goQuote).join(' ') + ']';
}

/** Longest part of a value an error message quotes. */
export const MAX_QUOTED = 200;

/** At most MAX_QUOTED characters of `s`, saying how much was left out. */
export function clip(s: string, max = MAX_QUOTED): string {
  return s.length <= max ? s : `${s.slice(0, max)}... (${s.length - max} more characters)`;
}

function quoteValue(v: unknown): string {
  if (typeof v === 'string') return v.length <= MAX_QUOTED ? goQuote(v) : `${goQuote(v.slice(0, MAX_QUOTED))}... (${v.length} characters)`;
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return clip(text);
}

export function formatProblem(p: Problem): string {
  const where = p.source ? `${p.source}: ` : '';
  const value = p.value === undefined ? '' : ` ${quoteValue(p.value)}`;
  return `${where}${p.field}${value}: ${p.message}`;
}
