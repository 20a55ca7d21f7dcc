/** At most `n` holders at once; `acquire` resolves with the release function, in FIFO order. */
export function semaphore(n: number): () => Promise<() => void> {
  let free = Math.max(1, n);
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () =>
    new Promise((resolve) => {
      const grant = () => {
        let released = false;
        resolve(() => {
          if (!released) {
            released = true;
            release();
          }
        });
      };
      if (free > 0) {
        free--;
        grant();
      } else waiting.push(grant);
    });
}
