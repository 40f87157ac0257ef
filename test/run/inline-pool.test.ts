import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InlinePool } from '../../src/run/inline-pool.js';
import { TaskCancelledError } from '../../src/run/pool.js';

/** A handler that logs when each task starts and ends, and how many ran at once when it started. */
function loggingHandler(delayMs: number) {
  const log: string[] = [];
  let running = 0;
  const handler = async (task: number): Promise<{ task: number; heldAtStart: number }> => {
    running += 1;
    const heldAtStart = running;
    log.push(`start ${task}`);
    await sleep(delayMs);
    log.push(`end ${task}`);
    running -= 1;
    return { task, heldAtStart };
  };
  return { handler, log };
}

describe('InlinePool', () => {
  it('runs the tasks in this thread, in order, one at a time by default', async () => {
    // Prepare
    const { handler, log } = loggingHandler(5);
    const pool = new InlinePool(handler);

    // Act
    const results = await Promise.all([1, 2, 3].map((task) => pool.run(task)));

    // Assess
    expect(results).toEqual([1, 2, 3].map((task) => ({ task, heldAtStart: 1 })));
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs up to tasksPerWorker tasks at once', async () => {
    const { handler } = loggingHandler(20);
    const pool = new InlinePool(handler, { tasksPerWorker: 3 });

    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((task) => pool.run(task)));

    expect(Math.max(...results.map((r) => r.heldAtStart))).toBe(3);
    expect(pool.maxTasksPerWorker).toBe(3);
    expect(() => new InlinePool(handler, { tasksPerWorker: 0 })).toThrow(/tasksPerWorker.*received 0/);
  });

  it('starts each task in a turn of the event loop of its own, so callbacks queued meanwhile run between tasks', async () => {
    // a handler that finishes at once (no I/O): were the next task started from the last one's promise, the
    // immediate queued by the first task would only run after all of them
    const log: string[] = [];
    const pool = new InlinePool(async (task: number) => {
      log.push(`task ${task}`);
      setImmediate(() => log.push(`immediate after ${task}`));
      return task;
    });

    await Promise.all([1, 2, 3].map((task) => pool.run(task)));

    expect(log.slice(0, 4)).toEqual(['task 1', 'immediate after 1', 'task 2', 'immediate after 2']);
  });

  it('rejects a task whose handler throws, and goes on with the next', async () => {
    const pool = new InlinePool((task: number): Promise<number> => {
      if (task === 2) throw new Error('task 2 is bad');
      if (task === 3) return Promise.reject('not an Error');
      return Promise.resolve(task * 10);
    });

    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((task) => pool.run(task)));

    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      10,
      'task 2 is bad',
      'not an Error',
      40,
    ]);
  });

  it('cancelQueued withdraws the tasks not started (TaskCancelledError); the one running finishes', async () => {
    const { handler, log } = loggingHandler(20);
    const pool = new InlinePool(handler);
    const first = pool.run(1);
    const rest = Promise.allSettled([2, 3].map((task) => pool.run(task)));
    await sleep(5); // task 1 has started

    pool.cancelQueued();

    await expect(first).resolves.toEqual({ task: 1, heldAtStart: 1 });
    for (const outcome of await rest) {
      expect(outcome.status === 'rejected' && outcome.reason instanceof TaskCancelledError).toBe(true);
    }
    expect(log).toEqual(['start 1', 'end 1']);
  });

  it('close waits for the running task, rejects the queued ones and refuses new ones', async () => {
    const { handler, log } = loggingHandler(20);
    const pool = new InlinePool(handler);
    const first = pool.run(1);
    const second = pool.run(2).catch((error: Error) => error.message);
    await sleep(5);

    await pool.close();

    expect(log).toEqual(['start 1', 'end 1']);
    await expect(first).resolves.toEqual({ task: 1, heldAtStart: 1 });
    expect(await second).toMatch(/closed/);
    await expect(pool.run(3)).rejects.toThrow(/closed/);
  });
});
