/**
 * oclif's help, with three changes. An example command is wrapped at spaces only: oclif hard-wraps
 * every line at the terminal width, which cuts a 64-digit digest in two and leaves an example that
 * no longer runs when pasted (a word longer than the line stays whole; the terminal folds it, the
 * copy is intact). The command it formats is a copy: oclif renames the cached command in place, so
 * a process that goes on after showing help (tests run commands in-process) would no longer find it.
 * And for speed, the same text by cheaper means: templates filled in directly instead of by ejs,
 * plain ASCII wrapped by wrapPlain instead of wrap-ansi (together a third of a `--help` run).
 * Registered as oclif.helpClass.
 */
import {CommandHelp, Help} from '@oclif/core';
import {wrapPlain} from '../lib/wrap.js';

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

/**
 * oclif renders every help text through ejs (compiled per text) for its templates; the help of this
 * CLI uses two, `<%= config.bin %>` and `<%= command.id %>`, which are put in
 * directly (ejs, never loaded then, stays for any other template). The values are inserted as they
 * are, where ejs would HTML-escape them.
 */
function directTemplates(values: () => {bin: string; id?: string}, ejs: (input: string) => string): (input: string) => string {
  return (input) => {
    if (!input.includes('<%')) return input;
    const v = values();
    const out = input
      .replaceAll('<%= config.bin %>', v.bin)
      .replaceAll('<%= command.id %>', () => v.id ?? '<%= command.id %>');
    return out.includes('<%') ? ejs(input) : out;
  };
}

class ExampleSafeCommandHelp extends CommandHelp {
  constructor(...args: ConstructorParameters<typeof CommandHelp>) {
    super(...args);
    this.render = directTemplates(() => ({bin: this.config.bin, id: this.command.id}), this.render);
  }

  override wrap(body: string, spacing?: number): string {
    if (!body.startsWith(`$ ${this.config.bin} `) || body.includes('\n')) return wrapPlain(this.render(body), this.opts.maxWidth - (spacing ?? this.indentSpacing)) ?? super.wrap(body, spacing);
    return wrapAtSpaces(this.render(body), this.opts.maxWidth - (spacing ?? this.indentSpacing));
  }
}

export default class OcRegistriesHelp extends Help {
  protected override CommandHelpClass = ExampleSafeCommandHelp;

  constructor(...args: ConstructorParameters<typeof Help>) {
    super(...args);
    this.render = directTemplates(() => ({bin: this.config.bin}), this.render);
  }

  /** oclif's wrap (wrap-ansi, hard), by wrapPlain when the text is plain ASCII: the same lines, faster. */
  override wrap(body: string, spacing?: number): string {
    return wrapPlain(this.render(body), this.opts.maxWidth - (spacing ?? this.indentSpacing)) ?? super.wrap(body, spacing);
  }

  /** oclif rewrites the id of the cached command it formats (`allow:add` -> `allow add`); format a copy. */
  override formatCommand(command: Parameters<Help['formatCommand']>[0]): string {
    return super.formatCommand({...command});
  }
}
