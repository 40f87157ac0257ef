import { GetObjectCommand, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { BackfillFinalizeEvent, BackfillFinalizeResult } from '../../backfill/batch-event.js';
import { buildDatasetManifest, MANIFEST_NAME, manifestJson, WIDS_INDEX_NAME } from '../../shards/manifest.js';
import type { ShardIndex } from '../../shards/shard.js';

/** What {@link finalizeBackfill} needs: created once per container. */
export interface FinalizeOptions {
  readonly s3: S3Client;
  /** `augmix-pipeline <version>`, recorded in the manifest. */
  readonly tool: string;
  /** Shard indexes read at once. @default 16 */
  readonly concurrency?: number;
}

const SHARD_INDEX = /^shard-\d+\.index\.json$/;

/**
 * The backfill's last step. For the shards layout: lists the shard indexes under the output prefix (one LIST
 * request per 1,000 shards), reads them and writes `manifest.json` (shards, sample counts, failures, settings,
 * tool) and `wids-index.json` (the `wids-shard-index-v1` shard list), so a loader needs no bucket listing.
 * The objects layout has nothing to gather (each input's provenance document sits beside its variants).
 *
 * @throws ManifestSettingsError when the output holds shards of runs with other settings; S3 errors as they come
 */
export async function finalizeBackfill(
  event: BackfillFinalizeEvent,
  options: FinalizeOptions,
): Promise<BackfillFinalizeResult> {
  const { outputBucket, outputPrefix, layout } = event.BatchInput;
  if (layout === 'objects') return { manifest: null, widsIndex: null, shards: 0, images: 0, failures: 0 };
  const keys: string[] = [];
  const pages = paginateListObjectsV2(
    { client: options.s3 },
    { Bucket: outputBucket, Prefix: `${outputPrefix}shard-` },
  );
  for await (const page of pages) {
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      if (SHARD_INDEX.test(key.slice(outputPrefix.length))) keys.push(key);
    }
  }
  if (keys.length === 0) {
    throw new Error(
      `no shard index (shard-N.index.json) under s3://${outputBucket}/${outputPrefix}: no batch finished`,
    );
  }
  const indexes = await mapLimited(keys, options.concurrency ?? 16, async (key) => {
    const response = await options.s3.send(new GetObjectCommand({ Bucket: outputBucket, Key: key }));
    return JSON.parse((await response.Body?.transformToString('utf-8')) ?? '') as ShardIndex;
  });
  const { manifest, wids } = buildDatasetManifest(
    indexes,
    `s3://${outputBucket}/${outputPrefix}`,
    options.tool,
  );
  const manifestKey = outputPrefix + MANIFEST_NAME;
  const widsKey = outputPrefix + WIDS_INDEX_NAME;
  for (const [key, value] of [
    [manifestKey, manifest],
    [widsKey, wids],
  ] as const) {
    const body = new TextEncoder().encode(manifestJson(value));
    await options.s3.send(
      new PutObjectCommand({
        Bucket: outputBucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ContentLength: body.byteLength,
      }),
    );
  }
  return {
    manifest: manifestKey,
    widsIndex: widsKey,
    shards: manifest.shards.length,
    images: manifest.samples,
    failures: manifest.failures.length,
    missing: manifest.missing.reduce((sum, range) => sum + range.to - range.from + 1, 0),
  };
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await task(items[i] as T);
    }
  });
  await Promise.all(runners);
  return results;
}
