import { putObject, readItem } from '../backfill/augment-batch.js';
import { createRunS3Client, type S3ClientSettings } from './s3-access.js';

/** The S3 side of `augmix run --layout shards`: reads inputs as the batch mode does, writes whole objects. */
export interface ShardObjects {
  /**
   * Reads a listed object as the batch mode reads an item: its listed size checked against `maxBytes`, then
   * GetObject with `If-Match` on its listed ETag (InputError `too-many-bytes`, `superseded`, `gone`).
   */
  read(
    object: { bucket: string; key: string; size: number | null; eTag: string | null },
    relativeKey: string,
    maxBytes: number,
  ): Promise<Uint8Array>;
  /** One PutObject with the whole body (a shard is never uploaded in parts). */
  put(bucket: string, key: string, body: Uint8Array, contentType: string): Promise<void>;
  destroy(): void;
}

export function openShardObjects(settings: S3ClientSettings): ShardObjects {
  const s3 = createRunS3Client(settings);
  return {
    read: (object, relativeKey, maxBytes) =>
      readItem(
        s3,
        object.bucket,
        { Key: object.key, Size: object.size ?? 0, ETag: object.eTag ?? '', Index: 0 },
        relativeKey,
        maxBytes,
      ),
    put: (bucket, key, body, contentType) => putObject(s3, bucket, key, body, contentType),
    destroy: () => s3.destroy(),
  };
}
