/**
 * oclif's command_not_found hook: one line naming the nearest command or topic
 * (`alow add` -> `allow add`), exit 2, or the JSON error envelope with --json.
 * Registered in package.json (oclif.hooks) and loaded only when a command is
 * not found, so start-up pays nothing for it.
 */
import type {Hook} from '@oclif/core';
import {ExitCode} from '../lib/exit-codes.js';
import {levenshtein} from '../model/suggest.js';
import {painter, useColor} from './output.js';

/** The known command or topic nearest to the words typed, preferring the longest match within reach. */
export function nearestCommand(words: string[], known: string[]): string | undefined {
  let best: {name: string; d: number; n: number} | undefined;
  for (const name of known) {
    const n = name.split(' ').length;
    if (n > words.length) continue;
    const typed = words.slice(0, n).join(' ');
    const d = levenshtein(typed, name);
    if (d > Math.max(2, Math.floor(typed.length / 3)) || d === 0) continue;
    if (!best || n > best.n || (n === best.n && d < best.d)) best = {name, d, n};
  }
  return best?.name;
}

const hook: Hook<'command_not_found'> = async function (opts) {
  const words = opts.id.split(':');
  const known = [...opts.config.commandIDs.map((c) => c.split(':').join(' ')), ...opts.config.topics.map((t) => t.name.split(':').join(' '))];
  // oclif reads the words after a command without arguments as part of its name: `render extra` lands here.
  const ids = opts.config.commandIDs.map((c) => c.split(':').join(' '));
  const prefix = [...words.keys()].map((i) => words.slice(0, words.length - i).join(' ')).find((w) => ids.includes(w));
  const extra = prefix ? words.slice(prefix.split(' ').length) : [];
  const near = nearestCommand(words, known);
  const message = prefix
    ? `unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((w) => `"${w}"`).join(', ')}: ${opts.config.bin} ${prefix} takes no arguments (see ${opts.config.bin} ${prefix} --help)`
    : `unknown command "${words.join(' ')}"${near ? ` (did you mean "${near}"?)` : ''}; see ${opts.config.bin} --help`;
  process.exitCode = ExitCode.usage;
  if ((opts.argv ?? []).includes('--json')) {
    process.stdout.write(JSON.stringify({status: ExitCode.usage, name: 'UsageError', message, warnings: []}, null, 2) + '\n');
    return;
  }
  const p = painter(useColor((opts.argv ?? []).includes('--no-color'), process.stderr));
  process.stderr.write(`${p.err('error: ')}${message}\n`);
};

export default hook;
