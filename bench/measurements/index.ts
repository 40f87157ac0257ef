import type { Measurement } from '../measurement.js';
import { backfillBatch } from './backfill-batch.js';
import { devSoak } from './dev-soak.js';
import { jpegSettings } from './jpeg-settings.js';
import { perVariant } from './per-variant.js';
import { runScaling } from './run-scaling.js';
import { runWhole } from './run-whole.js';

/** Every measurement of `npm run bench`, in the order they run and print. Add new ones here. */
export const MEASUREMENTS: readonly Measurement[] = [
  perVariant,
  jpegSettings,
  runWhole,
  runScaling,
  backfillBatch,
  devSoak,
];
