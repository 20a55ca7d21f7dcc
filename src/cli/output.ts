/** Terminal output: stdout for results, stderr for everything else. Colour only on a TTY. */
import {Chalk} from 'chalk';

export function useColor(flagNoColor: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
  if (flagNoColor || (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) return false;
  return Boolean(stream.isTTY);
}

export interface Painter {
  warn(s: string): string;
  err(s: string): string;
  ok(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  add(s: string): string;
  del(s: string): string;
}

export function painter(color: boolean): Painter {
  const c = new Chalk({level: color ? 1 : 0});
  return {warn: c.yellow, err: c.red, ok: c.green, dim: c.dim, bold: c.bold, add: c.green, del: c.red};
}

export function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
}

export function note(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : s + '\n');
}
