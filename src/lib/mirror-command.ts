/** Flags and terminal helpers shared by the `mirror` commands. */
import {Flags} from '@oclif/core';
import type {EditIo} from '../cluster/mirror-edit.js';
import type {MirrorPlan} from '../render/mirror-plan.js';
import {formatPlan} from '../render/mirror-plan.js';
import {note, out, type Painter} from './output.js';
import type {Warning} from './warnings.js';

export const editFlags = {
  'dry-run': Flags.boolean({description: 'Show the plan (object diff, node-file diff, disruption) and stop; nothing is written.'}),
  yes: Flags.boolean({char: 'y', description: 'Apply without asking (required when there is no terminal).'}),
  strict: Flags.boolean({description: 'Treat warnings as errors.'}),
};

/** Terminal I/O for the editing path: warnings and progress on stderr, confirmation on a TTY only. */
export function terminalIo(p: Painter, warn: (w: Warning) => void, json: boolean): EditIo {
  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY) && !json;
  return {
    warn,
    progress: (m) => note(p.dim(m)),
    ...(tty
      ? {
          confirm: async (question: string, plan: MirrorPlan) => {
            note(formatPlan(plan, p));
            const {confirm} = await import('@inquirer/prompts');
            return confirm({message: question, default: false}, {output: process.stderr});
          },
        }
      : {}),
  };
}

/** Print the plan on stdout, unless it was already shown for confirmation. */
export function printPlan(plan: MirrorPlan, p: Painter, alreadyShown: boolean): void {
  if (!alreadyShown) out(formatPlan(plan, p));
  for (const n of plan.notes) note(p.dim(`note: ${n}`));
}
