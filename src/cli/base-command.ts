/**
 * One base class for every command: the JSON envelope of cli.md
 * (`{status, result, warnings}` / `{status, name, message, warnings}`), the exit
 * code table, warnings collected and printed on stderr, user errors told apart
 * from bugs.
 */
import {Command, Flags} from '@oclif/core';
import {ExitCode} from '../lib/exit-codes.js';
import {UserError, ValidationError, type Problem} from '../lib/errors.js';
import {note, painter, useColor, type Painter} from './output.js';
import type {Warning} from '../model/warnings.js';

export interface JsonWarning {
  code: string;
  message: string;
  field?: string;
}

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    'no-color': Flags.boolean({description: 'Do not colour output (also NO_COLOR).', helpGroup: 'GLOBAL'}),
  };

  protected warnings: JsonWarning[] = [];
  /** Exit status of a successful run (e.g. 1 for drift); errors set their own. */
  protected status: number = ExitCode.ok;
  private paint?: Painter;

  protected get p(): Painter {
    return (this.paint ??= painter(useColor(this.argv.includes('--no-color'))));
  }

  /** What a multi-cluster run (src/cli/fleet.ts) prints and warns through. */
  protected get io(): {json: boolean; p: Painter; warn: (w: Warning | JsonWarning) => void} {
    return {json: this.jsonEnabled(), p: this.p, warn: (w) => this.addWarning(w)};
  }

  /** Record a warning and show it on stderr. */
  protected addWarning(w: Warning | JsonWarning): void {
    this.warnings.push({code: w.code, message: w.message, ...(w.field ? {field: w.field} : {})});
    note(this.p.warn('warning: ') + w.message);
  }

  protected fail(problems: Problem[]): never {
    throw new ValidationError(problems);
  }

  /** Plain JSON on stdout: oclif's colourising printer is slow and overflows the stack on large results. */
  override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  }

  protected override toSuccessJson(result: unknown): unknown {
    return {status: this.status, result, warnings: this.warnings};
  }

  protected override toErrorJson(err: unknown): unknown {
    const e = err as Error & {problems?: Problem[]};
    return {
      status: exitCodeOf(err),
      name: e.name === 'Error' || !e.name ? 'Error' : e.name,
      message: e.message,
      ...(e.problems ? {problems: e.problems} : {}),
      warnings: this.warnings,
    };
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    if (!err && this.status !== ExitCode.ok) process.exitCode = this.status;
    return super.finally(err);
  }

  protected override async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<unknown> {
    const code = exitCodeOf(err);
    process.exitCode = code;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(err));
      return;
    }
    if (err instanceof UserError) {
      const lines = err.message.split('\n');
      for (const l of lines) note(this.p.err('error: ') + l);
      if (err.hint) note(this.p.dim(`hint: ${err.hint}`));
      return;
    }
    if (code !== ExitCode.internal) {
      note(this.p.err('error: ') + err.message.split('\n')[0]);
      return;
    }
    note(this.p.err('internal error (a bug in oc-registries): ') + err.message);
    if (process.env.DEBUG) note(err.stack ?? '');
  }
}

export function exitCodeOf(err: unknown): number {
  const e = err as {exitCode?: number; oclif?: {exit?: number}};
  if (err instanceof UserError) return err.exitCode;
  if (typeof e?.oclif?.exit === 'number') return e.oclif.exit === 1 ? ExitCode.usage : e.oclif.exit;
  return ExitCode.internal;
}
