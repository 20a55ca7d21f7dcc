/** The exit-code table of cli.md. One place, used by every command. */
export const ExitCode = {
  ok: 0,
  drift: 1,
  usage: 2,
  cluster: 3,
  conflict: 4,
  partial: 5,
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
