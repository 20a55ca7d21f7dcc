/**
 * The confirmation question. Ctrl-C (or a closed terminal) at the question is
 * not a bug: it is `Aborted`, exit 130, nothing changed. @inquirer/prompts is
 * imported only when a question is asked.
 */
import {UserError} from '../lib/errors.js';
import {ExitCode} from '../lib/exit-codes.js';

export class Aborted extends UserError {
  override name = 'Aborted';
  readonly aborted = true;
  constructor() {
    super('Aborted: nothing was changed', ExitCode.interrupted);
  }
}

/** Ask yes/no on stderr (default no); Ctrl-C throws Aborted. */
export async function ask(message: string): Promise<boolean> {
  const {confirm} = await import('@inquirer/prompts');
  try {
    return await confirm({message, default: false}, {output: process.stderr});
  } catch (e) {
    if ((e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError') throw new Aborted();
    throw e;
  }
}
