/**
 * oclif's help, with one change: an example command is wrapped at spaces only.
 * oclif hard-wraps every line at the terminal width, which cuts a 64-digit
 * digest in two and leaves an example that no longer runs when pasted. A word
 * longer than the line stays whole (the terminal folds it, the copy is intact).
 * And the command it formats is a copy: oclif renames the cached command in
 * place, so a process that goes on after showing help (tests run commands
 * in-process) would no longer find it. Registered as oclif.helpClass; loaded
 * only when help is shown.
 */
import {CommandHelp, Help} from '@oclif/core';

/** Greedy word wrap at spaces, never inside a word. */
export function wrapAtSpaces(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

class ExampleSafeCommandHelp extends CommandHelp {
  override wrap(body: string, spacing?: number): string {
    if (!body.startsWith(`$ ${this.config.bin} `) || body.includes('\n')) return super.wrap(body, spacing);
    return wrapAtSpaces(this.render(body), this.opts.maxWidth - (spacing ?? this.indentSpacing));
  }
}

export default class OcRegistriesHelp extends Help {
  protected override CommandHelpClass = ExampleSafeCommandHelp;

  /** oclif rewrites the id of the cached command it formats (`allow:add` -> `allow add`); format a copy. */
  override formatCommand(command: Parameters<Help['formatCommand']>[0]): string {
    return super.formatCommand({...command});
  }
}
