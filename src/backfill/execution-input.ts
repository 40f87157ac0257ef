import type { PipelineSettings } from '../pipeline/types.js';
import type { BackfillLayout } from './batch-event.js';

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
