import { afterEach, describe, expect, it } from 'vitest';
import {
  QUICK_TASK_MS,
  SLOW_TASK_MS,
  TaskCancelledError,
  WorkerPool,
  WorkerStartError,
} from '../../src/run/pool.js';

const workerUrl = new URL('./fixtures/echo-worker.mjs', import.meta.url);
type Task = { op: string; value?: number; delay?: number; length?: number };
let pool: WorkerPool<Task, unknown> | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('WorkerPool', () => {
  it('runs tasks on every worker and returns their results in task order', async () => {
    // Prepare
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 2, workerData: { tag: 'T' } });

    // Act
    const results = (await Promise.all(
      [1, 2, 3, 4, 5, 6].map((value) => pool!.run({ op: 'double', value, delay: 20 })),
    )) as { value: number; threadId: number; tag: string }[];

    // Assess
    expect(results.map((r) => r.value)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(results.every((r) => r.tag === 'T')).toBe(true);
  });

  it('sends a worker up to tasksPerWorker tasks at once, and one at a time by default', async () => {
    const run = async (tasksPerWorker?: number): Promise<number[]> => {
      pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1, tasksPerWorker });
      const results = (await Promise.all(
        [1, 2, 3, 4].map((value) => pool!.run({ op: 'double', value, delay: 30 })),
      )) as { heldAtStart: number }[];
      await pool.close();
      return results.map((r) => r.heldAtStart);
    };

    expect(Math.max(...(await run(2)))).toBe(2);
    expect(await run()).toEqual([1, 1, 1, 1]);
    expect(() => new WorkerPool(workerUrl, { size: 1, tasksPerWorker: 0 })).toThrow(/tasksPerWorker/);
  });

  it('sends one task at a time until the first reply, and while tasks take longer than SLOW_TASK_MS', async () => {
    const heldAtStart = async (delay: number, count: number): Promise<number[]> => {
      pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1, tasksPerWorker: 2 });
      const results = (await Promise.all(
        Array.from({ length: count }, (_, value) => pool!.run({ op: 'double', value, delay })),
      )) as { heldAtStart: number }[];
      await pool.close();
      return results.map((r) => r.heldAtStart);
    };
    // nothing is known of the tasks' cost yet: the first goes alone, then two at a time (30 ms is not slow)
    const fast = await heldAtStart(30, 5);
    expect(fast[0]).toBe(1);
    expect(Math.max(...fast)).toBe(2);
    // the first reply says the tasks are slow: one at a time throughout
    expect(await heldAtStart(SLOW_TASK_MS + 50, 3)).toEqual([1, 1, 1]);
  });

  it('sends quick tasks in batches of up to quickTasksPerWorker, and slow ones one per message', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1, tasksPerWorker: 1, quickTasksPerWorker: 8 });
    expect(pool.maxTasksPerWorker).toBe(8);
    const round = async (delay: number): Promise<number[]> => {
      const results = (await Promise.all(
        Array.from({ length: 8 }, (_, value) => pool!.run({ op: 'double', value, delay })),
      )) as { value: number; inMessage: number }[];
      expect(results.map((r) => r.value)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
      return results.map((r) => r.inMessage);
    };

    // before any reply the pool knows nothing of the tasks' cost: the first task goes alone; once the worker
    // has reported a quick task, the rest travel together
    const first = await round(0);
    expect(first[0]).toBe(1);
    expect(Math.max(...first)).toBeGreaterThan(1);
    // slower tasks (over QUICK_TASK_MS) bring the running mean up; then they go one by one again
    await round(QUICK_TASK_MS + 20);
    expect(await round(QUICK_TASK_MS + 20)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => new WorkerPool(workerUrl, { size: 1, tasksPerWorker: 2, quickTasksPerWorker: 1 })).toThrow(
      /quickTasksPerWorker/,
    );
  });

  it('shrinks quick batches to half a fair share of what is left when told the backlog', async () => {
    const largest = async (backlog: number): Promise<number> => {
      pool = new WorkerPool<Task, unknown>(workerUrl, {
        size: 1,
        tasksPerWorker: 1,
        quickTasksPerWorker: 16,
        backlog: () => backlog,
      });
      await pool.run({ op: 'double', value: 1 }); // the worker reports a quick task: batches from now on
      const results = (await Promise.all(
        Array.from({ length: 16 }, (_, value) => pool!.run({ op: 'double', value })),
      )) as { inMessage: number }[];
      await pool.close();
      pool = undefined;
      return Math.max(...results.map((r) => r.inMessage));
    };
    // 16 queued and nothing more to come: at most 8 (half of 16 over one worker) go in one message
    expect(await largest(0)).toBe(8);
    // many more to come: full batches
    expect(await largest(1000)).toBe(16);
  });

  it('withdraws queued tasks on cancelQueued and lets the ones a worker holds finish', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1 });
    const held = pool.run({ op: 'double', value: 1, delay: 50 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const queued = pool.run({ op: 'double', value: 2 });

    pool.cancelQueued();

    await expect(queued).rejects.toBeInstanceOf(TaskCancelledError);
    expect(await held).toMatchObject({ value: 2 });
    expect(await pool.run({ op: 'double', value: 3 })).toMatchObject({ value: 6 });
  });

  it('rejects a task whose handler failed and keeps serving', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1 });

    await expect(pool.run({ op: 'throw' })).rejects.toThrow('asked to throw');
    expect(await pool.run({ op: 'double', value: 4 })).toMatchObject({ value: 8 });
  });

  it('fails the task of a worker that dies and replaces the worker', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1 });

    await expect(pool.run({ op: 'exit' })).rejects.toThrow(/worker thread failed/);
    expect(await pool.run({ op: 'double', value: 5 })).toMatchObject({ value: 10 });
    expect(pool.size).toBe(1);
  });

  it('moves transferred buffers back from the worker', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1 });

    const bytes = (await pool.run({ op: 'bytes', length: 1000 })) as Uint8Array;

    expect(bytes).toHaveLength(1000);
    expect(bytes[999]).toBe(7);
  });

  it('rejects queued tasks when closed, and refuses new ones', async () => {
    pool = new WorkerPool<Task, unknown>(workerUrl, { size: 1 });
    const running = pool.run({ op: 'double', value: 1, delay: 200 });
    const queued = pool.run({ op: 'double', value: 2 });

    const closing = pool.close();

    await expect(queued).rejects.toThrow(/closed/);
    await expect(running).rejects.toThrow(/closed/);
    await closing;
    await expect(pool.run({ op: 'double', value: 3 })).rejects.toThrow(/closed/);
  });

  it('fails every task with WorkerStartError, without respawning, when the worker module cannot load', async () => {
    pool = new WorkerPool<Task, unknown>(new URL('./fixtures/broken-worker.mjs', import.meta.url), {
      size: 2,
    });

    const outcomes = await Promise.allSettled([1, 2, 3].map((value) => pool!.run({ op: 'double', value })));

    for (const outcome of outcomes) {
      expect(outcome.status === 'rejected' && outcome.reason instanceof WorkerStartError).toBe(true);
    }
    await expect(pool.run({ op: 'double', value: 4 })).rejects.toThrow(
      /could not start: .*cannot load a dependency/,
    );
  });

  it('validates its size', () => {
    expect(() => new WorkerPool(workerUrl, { size: 0 })).toThrow(/size/);
  });
});
