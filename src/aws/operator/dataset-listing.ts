import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { type DatasetStats, isImageKey, spread } from '../../estimate/dataset-stats.js';

/** Lists the images under an S3 prefix (keys with an image suffix, case-insensitive). */
export async function s3DatasetStats(
  s3: S3Client,
  bucket: string,
  prefix: string,
  sampleSize = 0,
): Promise<DatasetStats> {
  const keys: string[] = [];
  let totalBytes = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || !isImageKey(object.Key)) continue;
      keys.push(object.Key);
      totalBytes += object.Size ?? 0;
    }
  }
  const sample = spread(keys, sampleSize).map((key) => ({
    key,
    read: async () => {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return response.Body!.transformToByteArray();
    },
  }));
  return { source: `s3://${bucket}/${prefix}`, images: keys.length, totalBytes, sample };
}
