import type { PipelineSettings } from '../pipeline/types.js';

/**
 * The contract between the backfill state machine and the worker's batch mode.
 *
 * The state machine's Distributed Map lists the objects under the input prefix (ItemReader: S3 listing, or an
 * S3 Inventory manifest), keeps for each object its key, size, ETag and its position in the listing (ItemSelector
 * adds `$$.Map.Item.Index`), and hands the worker one ItemBatcher batch: `{ BatchInput, Items }`. The worker
 * augments every item with the per-image path (`processImage`, the seed rule, the layout module) and writes
 * either one WebDataset shard (`layout: 'shards'`) or one object per variant plus one provenance document per
 * input (`layout: 'objects'`).
 */

/** How a backfill writes its outputs. */
export type BackfillLayout = 'shards' | 'objects';

/** One input object, as the Distributed Map's ItemSelector passes it. */
export interface BackfillItem {
  /** Full object key in the input bucket (not URL-encoded). */
  readonly Key: string;
  /** Object size in bytes, from the listing. */
  readonly Size: number;
  /** ETag from the listing, with its quotes as S3 returns it. */
  readonly ETag: string;
  /** Zero-based position of the object in the whole listing (`$$.Map.Item.Index`). */
  readonly Index: number;
}

/** What every batch of one execution shares (the Map state's ItemBatcher `BatchInput`). */
export interface BackfillBatchInput {
  readonly inputBucket: string;
  /** Stripped from keys to get the relative key ('' or ends with '/'). */
  readonly inputPrefix: string;
  readonly outputBucket: string;
  /** Prepended to every output name ('' or ends with '/'); one backfill run writes under it. */
  readonly outputPrefix: string;
  readonly layout: BackfillLayout;
  /** AugMix and output settings for this run; unset ones take the stack's, then the core's defaults. */
  readonly settings?: Partial<PipelineSettings>;
}

/** The event the worker's batch mode receives from the Distributed Map (one child execution). */
export interface BackfillBatchEvent {
  readonly BatchInput: BackfillBatchInput;
  readonly Items: readonly BackfillItem[];
}

/** One input that could not be augmented (a permanent failure, recorded; it never fails the batch). */
export interface BackfillItemFailure {
  readonly key: string;
  readonly code: string;
  readonly message: string;
}

/** What the batch mode returns to the state machine (kept small: the ResultWriter stores it). */
export interface BackfillBatchResult {
  /** Output key of the shard written (`layout: 'shards'`), or `null` for the objects layout. */
  readonly shard: string | null;
  /** Inputs augmented. */
  readonly images: number;
  /** Variants written. */
  readonly variants: number;
  /** S3 PUT requests made by this batch. */
  readonly puts: number;
  readonly failures: readonly BackfillItemFailure[];
  /** Items that are not inputs (folder markers, keys without an image extension), counted. */
  readonly ignored?: number;
}

/**
 * The event of the backfill's last step (after the Distributed Map): the run's `BatchInput`. For the shards
 * layout it reads the per-shard indexes under the output prefix and writes the dataset manifest.
 */
export interface BackfillFinalizeEvent {
  readonly BatchInput: BackfillBatchInput;
  /** Items the Distributed Map listed, when known: lets the manifest name a missing last batch too. */
  readonly totalItems?: number;
}

/** What the last step returns. */
export interface BackfillFinalizeResult {
  /** Key of the dataset manifest written, or `null` (objects layout: nothing to gather). */
  readonly manifest: string | null;
  /** Key of the wids shard list written, or `null`. */
  readonly widsIndex: string | null;
  readonly shards: number;
  readonly images: number;
  readonly failures: number;
  /** Listing positions no shard covers (batches that never finished), counted. */
  readonly missing?: number;
}
