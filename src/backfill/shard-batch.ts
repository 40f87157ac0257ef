import { InputError } from '../codec/input-error.js';
import type { FailureCode } from '../pipeline/failure.js';
import type { PipelineSettings } from '../pipeline/types.js';
import {
  buildShard,
  type SampleSource,
  type ShardFailure,
  type ShardIgnored,
  type ShardIndex,
  type ShardSample,
} from '../shards/shard.js';
import type { AugmentImage } from './image-outcome.js';

/** One listed item of a batch, as the batch mode and `augmix run --layout shards` both see it. */
export type BatchEntry =
  | {
      readonly kind: 'input';
      readonly source: SampleSource;
      readonly relativeKey: string;
      /** The input's bytes; throws `InputError` for a permanent problem, anything else for a transient one. */
      readonly read: () => Promise<Uint8Array>;
    }
  | { readonly kind: 'ignored'; readonly key: string; readonly reason: string }
  | {
      readonly kind: 'failed';
      readonly source: SampleSource;
      readonly code: FailureCode;
      readonly message: string;
    };

/** Why a listed item that is not a folder marker and lacks an image extension is not an input. */
export const NOT_AN_IMAGE_EXTENSION = 'not an image extension';
/** Why a folder marker (a key ending in `/`) is not an input. */
export const FOLDER_MARKER = 'a folder marker';

/** How {@link shardOfBatch} runs. */
export interface ShardOfBatchOptions {
  readonly augment: AugmentImage;
  /** Inputs read and augmented at once. */
  readonly concurrency: number;
  readonly settings: PipelineSettings;
  readonly tool: string;
}

/**
 * Reads and augments every input of a batch (at most `concurrency` at once) and builds its shard. A permanent
 * failure of one input (`InputError` from reading, a failure outcome from augmenting) is recorded in the
 * shard's index; any other error rejects, and no further input is started.
 *
 * @param firstIndex the listing position of the batch's first item (names the shard)
 */
export async function shardOfBatch(
  firstIndex: number,
  entries: readonly BatchEntry[],
  options: ShardOfBatchOptions,
): Promise<{ bytes: Uint8Array; index: ShardIndex }> {
  const { settings } = options;
  const samples: ShardSample[] = [];
  const failures: ShardFailure[] = [];
  const ignored: ShardIgnored[] = [];
  const limit = createSlots(options.concurrency);
  await Promise.all(
    entries.map((entry) =>
      limit(async () => {
        if (entry.kind === 'ignored') {
          ignored.push({ key: entry.key, reason: entry.reason });
          return;
        }
        if (entry.kind === 'failed') {
          failures.push({ source: entry.source, input: null, code: entry.code, message: entry.message });
          return;
        }
        const { source, relativeKey } = entry;
        try {
          const outcome = await options.augment(await entry.read(), relativeKey, settings);
          if (outcome.ok) samples.push({ source, processed: outcome.processed });
          else failures.push({ source, input: relativeKey, code: outcome.code, message: outcome.message });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          failures.push({ source, input: relativeKey, code: error.code, message: error.message });
        }
      }),
    ),
  );
  return buildShard({ firstIndex, samples, failures, ignored, settings, tool: options.tool });
}

/** At most `n` tasks at once; after the first rejection no new task starts. */
export function createSlots(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`Expected concurrency to be an integer >= 1 but received ${n}`);
  }
  let running = 0;
  let failed = false;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      if (failed) throw new Error('an earlier item of the batch failed; not starting this one');
      return await task();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const next = waiting.shift();
      if (next === undefined) running -= 1;
      else next();
    }
  };
}

/** The listing's ETag with its quotes, as S3 returns it (`"…"`), whichever form it came in. */
export function quotedETag(eTag: string): string {
  return eTag.startsWith('"') || eTag.startsWith('W/') ? eTag : `"${eTag}"`;
}
