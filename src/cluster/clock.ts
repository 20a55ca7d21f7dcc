/**
 * The clock and the random source of every wait and retry back-off, in one
 * place so that tests replace them (setClock) instead of racing real timers.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

let current: Clock = realClock;

export function clock(): Clock {
  return current;
}

/** Replace the clock (tests); returns the previous one. */
export function setClock(c: Clock): Clock {
  const prev = current;
  current = c;
  return prev;
}

/** A clock whose sleeps return at once and move its time forward: waits and back-offs cost nothing in tests. */
export function virtualClock(start = 0, seed = 1): Clock & {slept: number[]} {
  let t = start;
  let s = seed;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    // A small deterministic generator (a linear congruential step), so jitter is repeatable.
    random: () => ((s = (s * 48271) % 2147483647) - 1) / 2147483646,
  };
}
