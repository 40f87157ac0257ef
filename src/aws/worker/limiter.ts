import { invalidParameter } from '../../augmix/errors.js';

/** Runs a task when a slot is free; resolves or rejects with the task's result. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A concurrency limiter: at most `concurrency` tasks run at once; the others wait in arrival order.
 * @param concurrency slots, an integer >= 1
 */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw invalidParameter('concurrency', 'an integer >= 1', concurrency);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) {
      running -= 1;
    } else {
      next();
    }
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < concurrency) {
      running += 1;
    } else {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      release();
    }
  };
}
