import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { PipelineSettings } from '../../src/pipeline/types.js';
import type { InputEntry } from '../../src/run/input-listing.js';
import { openSharpGate, type SharpGate, surelyNeedsSharp } from '../../src/run/sharp-gate.js';

/** The compiled gate (the suite's global setup builds dist/), imported by the worker threads below. */
const GATE_MODULE = new URL('../../dist/src/run/sharp-gate.js', import.meta.url).href;

/** A worker thread that waits at the gate, then says so. */
function workerAtGate(gate: SharpGate, events: string[]): Promise<void> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(workerData.module).then(({ waitForMainThreadSharp }) => {
      waitForMainThreadSharp(workerData.gate);
      parentPort.postMessage('worker went on');
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { gate, module: GATE_MODULE } });
    worker.on('message', (message: string) => events.push(message));
    worker.on('error', reject);
    worker.on('exit', () => resolve());
  });
}

describe('sharp gate (the main thread loads sharp before any worker does)', () => {
  it('runs the load once, on the first request, before any waiting worker goes on', async () => {
    const events: string[] = [];
    const { gate, close } = openSharpGate(() => events.push('main thread loaded'));
    try {
      expect(events).toEqual([]); // nothing loads until a worker needs it
      await Promise.all([workerAtGate(gate, events), workerAtGate(gate, events)]);
      expect(events).toEqual(['main thread loaded', 'worker went on', 'worker went on']);
      await workerAtGate(gate, events);
      expect(events.filter((e) => e === 'main thread loaded')).toHaveLength(1);
    } finally {
      close();
    }
  });

  it('loadNow loads at once (a run that will need sharp), and workers then go on without a second load', async () => {
    const events: string[] = [];
    const { gate, loadNow, close } = openSharpGate(() => events.push('main thread loaded'));
    try {
      loadNow();
      expect(events).toEqual(['main thread loaded']);
      loadNow();
      await workerAtGate(gate, events);
      expect(events).toEqual(['main thread loaded', 'worker went on']);
    } finally {
      close();
    }
  });

  it('opens the gate even when the load fails (the worker then reports the error itself)', async () => {
    const events: string[] = [];
    const { gate, close } = openSharpGate(() => {
      events.push('load failed');
      throw new Error('no sharp here');
    });
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    try {
      await workerAtGate(gate, events);
      expect(events).toEqual(['load failed', 'worker went on']);
      expect(uncaught).toEqual([]); // the main thread goes on too
    } finally {
      process.off('uncaughtException', onError);
      close();
    }
  });
});

describe('surelyNeedsSharp (whether the main thread loads sharp while the workers start)', () => {
  const entry = (key: string): InputEntry => ({
    key,
    source: { kind: 'file', path: `/in/${key}` },
    display: `/in/${key}`,
  });
  const settings = (format: string) => ({ format }) as unknown as PipelineSettings;

  it('is false when every input is a PNG or a JPEG (any case) and the outputs are PNG, JPEG or the input format', () => {
    const inputs = [entry('a.png'), entry('b/C.PNG'), entry('c.jpg'), entry('d.JPEG')];
    for (const format of ['same', 'png', 'jpeg'])
      expect(surelyNeedsSharp(inputs, settings(format))).toBe(false);
    expect(surelyNeedsSharp([], settings('same'))).toBe(false);
  });

  it('is true for any other input, or any other output format', () => {
    expect(surelyNeedsSharp([entry('a.png'), entry('b.webp')], settings('same'))).toBe(true);
    expect(surelyNeedsSharp([entry('a.png.tif')], settings('png'))).toBe(true);
    expect(surelyNeedsSharp([entry('a.jpg.gif')], settings('jpeg'))).toBe(true);
    for (const format of ['webp', 'avif']) {
      expect(surelyNeedsSharp([entry('a.png')], settings(format))).toBe(true);
    }
  });
});
