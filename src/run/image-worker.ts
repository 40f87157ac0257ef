import { workerData } from 'node:worker_threads';
import { beforeSharpLoads } from '../codec/index.js';
import { imageTaskHandler } from './image-handler.js';
import type { ImageResult, ImageTask, ImageWorkerData } from './image-task.js';
import { serveTasks } from './serve-tasks.js';
import { waitForMainThreadSharp } from './sharp-gate.js';

// A worker thread of `augmix run` (runs with --concurrency 2 or more): serves the pool's images with the same
// handler a one-worker run calls in its main thread (image-handler.ts). Before this thread first loads sharp,
// it has the main thread load sharp's native library (see sharp-gate.ts).
const data = workerData as ImageWorkerData;
beforeSharpLoads(() => waitForMainThreadSharp(data.sharpGate));
const handle = await imageTaskHandler(data);
serveTasks<ImageTask, ImageResult>(async (task) => ({ result: await handle(task) }));
