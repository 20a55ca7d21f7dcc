/** Progress on stderr, only on a terminal: one line rewritten in place (`n/N nodes, 3.2s`). */
export type ProgressFn = (done: number, total: number) => void;

export function counterProgress(unit: string, opts: {enabled: boolean; now?: () => number; stream?: NodeJS.WriteStream}): ProgressFn | undefined {
  if (!opts.enabled) return undefined;
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const started = now();
  return (done, total) => {
    stream.write(`\r${done}/${total} ${unit}, ${((now() - started) / 1000).toFixed(1)}s\x1b[K`);
    if (done === total) stream.write('\r\x1b[K');
  };
}
