/** The exit-code table of cli.md. One place, used by every command and rendered into help texts. */
export const ExitCode = {
  ok: 0,
  drift: 1,
  usage: 2,
  cluster: 3,
  conflict: 4,
  partial: 5,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What each code means, in the words of the README's table. */
export const EXIT_CODE_MEANING: Record<ExitCodeValue, string> = {
  0: 'success',
  1: 'drift found',
  2: 'usage or validation error; nothing was changed',
  3: 'cluster error: unreachable, forbidden, degraded pool, timeout',
  4: 'conflict that did not resolve after retries; nothing was changed',
  5: 'partial: some nodes could not be checked',
  70: 'internal error (a bug)',
  130: 'interrupted at a prompt; nothing was changed',
};

/** `Exit codes: 0 ...; 1 ...` for a command's help, from the table (with per-command wording where given). */
export function exitCodeHelp(codes: ExitCodeValue[], wording: Partial<Record<ExitCodeValue, string>> = {}): string {
  return `Exit codes: ${codes.map((c) => `${c} ${wording[c] ?? EXIT_CODE_MEANING[c]}`).join('; ')}.`;
}
