import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import type { PipelineSettings } from '../pipeline/types.js';

/**
 * How a worker thread asks the main thread to load sharp before it loads sharp itself (in `workerData`).
 *
 * sharp's native library must be loaded by the main thread before any worker thread loads sharp: a worker that
 * exits closes the native libraries it opened, and libvips does not survive being unloaded. The main thread
 * loads only that library where it can (`loadSharpNativeLibrary`, about 6 ms of CPU; all of sharp costs about
 * 40 ms), and only when the first worker is about to load sharp (a run of small PNGs or JPEGs, decoded and encoded in
 * JS, never does); that worker waits (blocked, a few milliseconds) until it has.
 */
export interface SharpGate {
  /** The BroadcastChannel the workers ask on. */
  readonly channel: string;
  /** One Int32: 0 until the main thread has loaded sharp (or failed to), then 1. */
  readonly loaded: SharedArrayBuffer;
}

/** The longest a worker waits for the main thread (which only waits on its workers) before loading sharp itself. */
const WAIT_MS = 30_000;

/**
 * The main thread's side: a gate whose first request runs `load` (run-dataset.ts: loading sharp's native
 * library), then opens for every worker. `loadNow()` runs it without waiting for a request (a run that will
 * surely need sharp, while its workers start). `close()` when the workers are gone.
 */
export function openSharpGate(load: () => void): {
  readonly gate: SharpGate;
  loadNow(): void;
  close(): void;
} {
  const gate: SharpGate = { channel: `augmix-sharp-${randomUUID()}`, loaded: new SharedArrayBuffer(4) };
  const flag = new Int32Array(gate.loaded);
  const channel = new BroadcastChannel(gate.channel);
  const open = (): void => {
    if (Atomics.load(flag, 0) === 0) {
      try {
        load();
      } catch {
        // a failed load is the worker's to report: it loads sharp itself next and gets the same error
      }
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
    }
  };
  channel.onmessage = open;
  channel.unref();
  return { gate, loadNow: open, close: () => channel.close() };
}

/**
 * The worker's side, called just before the worker loads sharp: asks the main thread to load it first and
 * waits until it has (at most {@link WAIT_MS}).
 */
export function waitForMainThreadSharp(gate: SharpGate): void {
  const flag = new Int32Array(gate.loaded);
  if (Atomics.load(flag, 0) === 1) return;
  const channel = new BroadcastChannel(gate.channel);
  channel.postMessage('load');
  channel.close();
  Atomics.wait(flag, 0, 0, WAIT_MS);
}

/** Names of the inputs that may be decoded without sharp. */
const JS_DECODED_NAME = /\.(png|jpe?g)$/i;

/**
 * Whether some image of a run will need sharp, so that the main thread may load it while the workers start
 * (`loadNow`): an output format other than PNG or JPEG, or an input that is neither a PNG nor a JPEG (small
 * plain ones are decoded and written without it; the case of the extension does not matter). A guess that only
 * moves when sharp loads: a worker that needs it asks anyway.
 */
export function surelyNeedsSharp(
  todo: readonly { readonly key: string }[],
  settings: Pick<PipelineSettings, 'format'>,
): boolean {
  if (settings.format !== 'png' && settings.format !== 'jpeg' && settings.format !== 'same') return true;
  return todo.some((entry) => !JS_DECODED_NAME.test(entry.key));
}
