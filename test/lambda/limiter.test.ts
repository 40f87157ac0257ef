import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/aws/worker/limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('createLimiter', () => {
  it('never runs more than `concurrency` tasks at once and runs all of them in order', async () => {
    // Prepare
    const limit = createLimiter(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    // Act
    const results = gates.map((gate, i) =>
      limit(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
        return i * 10;
      }),
    );
    await Promise.resolve();
    const startedBeforeRelease = [...started];
    for (const gate of gates) gate.resolve();
    // Assess
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30, 40]);
    expect(startedBeforeRelease).toEqual([0, 1]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that rejects', async () => {
    const limit = createLimiter(1);
    const failed = limit(() => Promise.reject(new Error('boom')));
    const next = limit(async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects concurrency %s', (concurrency) => {
    expect(() => createLimiter(concurrency)).toThrow(
      /Expected concurrency to be an integer >= 1 but received/,
    );
  });
});
