import type { PipelineSettings } from '../pipeline/types.js';
import type { BackfillBatchInput, BackfillLayout } from './batch-event.js';

/**
 * The input of one backfill execution (what `augmix backfill start` sends to StartExecution). The buckets are
 * the stack's (the state machine's role may touch no other); the prefixes must lie under the stack's input and
 * output prefixes, which bound its IAM grants.
 */
export interface BackfillExecutionInput {
  /** Objects listed (recursively) under this prefix; '' or ends with '/'. */
  readonly inputPrefix: string;
  /** This run writes under it; '' or ends with '/'. */
  readonly outputPrefix: string;
  readonly layout: BackfillLayout;
  /** AugMix and output settings of this run; `{}` = the stack's. */
  readonly settings: Partial<PipelineSettings>;
  /**
   * Key (in the stack's inventory bucket) of an S3 Inventory `manifest.json` (CSV format) to read the items
   * from instead of listing `inputPrefix`. Only when the stack was deployed with an inventory bucket.
   */
  readonly inventoryManifestKey?: string;
}

/** What the finalize Task sends to the worker's finalize mode once every batch has run. */
export interface BackfillFinalizeEvent {
  /** The run's settings, as every batch received them. */
  readonly Finalize: BackfillBatchInput;
  /** The Distributed Map's run. */
  readonly MapRunArn: string;
  /** Where the Map's ResultWriter wrote the children's results (`manifest.json` of the Map Run). */
  readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string };
}

/** True when `event` is a finalize event rather than a batch. */
export function isFinalizeEvent(event: unknown): event is BackfillFinalizeEvent {
  return typeof event === 'object' && event !== null && 'Finalize' in event;
}
