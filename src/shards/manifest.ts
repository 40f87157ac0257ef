import type { PipelineSettings } from '../pipeline/types.js';
import type { ShardFailure, ShardIgnored, ShardIndex } from './shard.js';

/** Name of the dataset manifest under the output prefix or folder. */
export const MANIFEST_NAME = 'manifest.json';
/** Name of the wids shard list (`wids-shard-index-v1`) under the output prefix or folder. */
export const WIDS_INDEX_NAME = 'wids-index.json';

/** One shard in the dataset manifest. */
export interface ManifestShard {
  /** Shard name, relative to the manifest. */
  readonly url: string;
  readonly index: string;
  readonly firstIndex: number;
  readonly samples: number;
  readonly failures: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** The dataset manifest (`manifest.json`): what a loader needs without listing the bucket. */
export interface DatasetManifest {
  readonly kind: 'augmix-webdataset-manifest';
  readonly version: 1;
  readonly tool: string;
  readonly settings: PipelineSettings;
  /** Inputs augmented (one sample each). */
  readonly samples: number;
  readonly shards: readonly ManifestShard[];
  /** Every input that could not be augmented, with its shard. */
  readonly failures: readonly (ShardFailure & { readonly shard: string })[];
  /** Every listed item that is not an input (folder markers, other files), with its shard. */
  readonly ignored: readonly (ShardIgnored & { readonly shard: string })[];
  /**
   * Listing positions no shard covers (inclusive ranges): batches that never finished. Gaps between shards are
   * always found; a missing last batch only when the run's item count is known.
   */
  readonly missing: readonly { readonly from: number; readonly to: number }[];
}

/** The shard list wids reads for random access (`__kind__: wids-shard-index-v1`). */
export interface WidsIndex {
  readonly __kind__: 'wids-shard-index-v1';
  readonly wids_version: 1;
  readonly name: string;
  readonly shardlist: readonly {
    readonly url: string;
    readonly nsamples: number;
    readonly filesize: number;
  }[];
}

/** Shard indexes from runs with different settings (or batches) cannot make one dataset. */
export class ManifestSettingsError extends Error {
  override readonly name = 'ManifestSettingsError';
}

/**
 * The dataset manifest and wids index of a run's shard indexes (any order; shards are listed by their first
 * index). Every index must carry the same settings: shards left by another run under the same output are
 * refused, naming the shard.
 *
 * @param name the dataset's name in the wids index (e.g. the output prefix)
 * @param totalItems items in the run's listing, when known: positions after the last shard count as missing
 * @throws ManifestSettingsError when two indexes were written with different settings, or two shards cover the
 *   same listing positions (a run with another shard size left its shards)
 * @throws RangeError when there is no index (nothing to describe)
 */
export function buildDatasetManifest(
  indexes: readonly ShardIndex[],
  name: string,
  tool: string,
  totalItems?: number,
): { manifest: DatasetManifest; wids: WidsIndex } {
  const sorted = [...indexes].sort((a, b) => a.firstIndex - b.firstIndex);
  const first = sorted[0];
  if (first === undefined) throw new RangeError('Expected at least one shard index but received none');
  const settingsJson = JSON.stringify(first.settings);
  for (const index of sorted) {
    if (JSON.stringify(index.settings) !== settingsJson) {
      throw new ManifestSettingsError(
        `shard ${index.shard} was written with settings ${JSON.stringify(index.settings)}, but ${first.shard} with ` +
          `${settingsJson}: one output holds one run (remove the other run's shards or use another output)`,
      );
    }
  }
  const missing: { from: number; to: number }[] = [];
  let next = 0;
  for (const index of sorted) {
    if (index.firstIndex < next) {
      throw new ManifestSettingsError(
        `shard ${index.shard} starts at listing position ${index.firstIndex}, inside the shard before it (which ends ` +
          `at ${next - 1}): one output holds one run (remove the other run's shards or use another output)`,
      );
    }
    if (index.firstIndex > next) missing.push({ from: next, to: index.firstIndex - 1 });
    next = index.firstIndex + index.items;
  }
  if (totalItems !== undefined && totalItems > next) missing.push({ from: next, to: totalItems - 1 });
  const shards: ManifestShard[] = sorted.map((index) => ({
    url: index.shard,
    index: index.shard.replace(/\.tar$/, '.index.json'),
    firstIndex: index.firstIndex,
    samples: index.samples.length,
    failures: index.failures.length,
    bytes: index.bytes,
    sha256: index.sha256,
  }));
  const manifest: DatasetManifest = {
    kind: 'augmix-webdataset-manifest',
    version: 1,
    tool,
    settings: first.settings,
    samples: shards.reduce((sum, shard) => sum + shard.samples, 0),
    shards,
    failures: sorted.flatMap((index) =>
      index.failures.map((failure) => ({ ...failure, shard: index.shard })),
    ),
    ignored: sorted.flatMap((index) => index.ignored.map((item) => ({ ...item, shard: index.shard }))),
    missing,
  };
  const wids: WidsIndex = {
    __kind__: 'wids-shard-index-v1',
    wids_version: 1,
    name,
    shardlist: shards.map((shard) => ({ url: shard.url, nsamples: shard.samples, filesize: shard.bytes })),
  };
  return { manifest, wids };
}

/** JSON text of a manifest or wids index (two-space indent, final newline). */
export function manifestJson(value: DatasetManifest | WidsIndex): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
