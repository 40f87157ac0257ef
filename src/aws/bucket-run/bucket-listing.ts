import { type _Object, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { assertRelativeKey } from '../../augmix/seed.js';
import { compareCodePoints } from '../../run/code-point-order.js';
import type { InputEntry, InputListing } from '../../run/input-listing.js';
import { formatS3Url, type S3Location } from '../../run/s3-location.js';
import { DEFAULT_IMAGE_EXTENSIONS } from '../../run/walk.js';

export interface ListBucketOptions {
  /** Image extensions (case-insensitive, without the dot). @default DEFAULT_IMAGE_EXTENSIONS */
  readonly extensions?: readonly string[];
  /** The output location; when it lies under the input prefix of the same bucket, its keys are left out. */
  readonly output?: S3Location | null;
  /** Keys per ListObjectsV2 page. @default 1000 (S3's maximum) */
  readonly pageSize?: number;
}

/**
 * Lists the image candidates under an S3 prefix with ListObjectsV2, page after page, by the deployed pipeline's
 * rules, so that `augmix run` on a bucket does what the stack's notifications and `augmix backfill` feed the
 * workers:
 *
 * - the relative key is the object key minus the prefix;
 * - a key ending in `.<ext>` (case-insensitive, `extensions`) is an image; any other key is `ignored`;
 * - folder markers (keys ending in `/`) are skipped, like folders in a walk; no key is hidden (names starting
 *   with `.` are images like any other, as the workers process them);
 * - keys under the output prefix (same bucket, output inside the input) are left out and reported once;
 * - a key that cannot be mirrored to outputs (an empty, `.` or `..` segment, a `\`) is a problem, as for the
 *   worker, which writes no failure record for it.
 *
 * @throws the SDK's errors (NoSuchBucket, AccessDenied, network) as they come
 */
export async function listBucketInputs(
  s3: S3Client,
  input: S3Location,
  options: ListBucketOptions = {},
): Promise<InputListing> {
  const suffixes = (options.extensions ?? DEFAULT_IMAGE_EXTENSIONS).map(
    (ext) => `.${ext.toLowerCase().replace(/^\./, '')}`,
  );
  const { output = null } = options;
  const excludedPrefix =
    output !== null && output.bucket === input.bucket && output.prefix.startsWith(input.prefix)
      ? output.prefix
      : null;
  const images: InputEntry[] = [];
  const ignored: string[] = [];
  const problems: { key: string; reason: string }[] = [];
  let excluded = false;
  const pages = paginateListObjectsV2(
    { client: s3, pageSize: options.pageSize ?? 1000 },
    { Bucket: input.bucket, Prefix: input.prefix },
  );
  for await (const page of pages) {
    for (const object of page.Contents ?? []) {
      const key = object.Key;
      if (key === undefined || key.endsWith('/') || !key.startsWith(input.prefix)) continue;
      if (excludedPrefix !== null && key.startsWith(excludedPrefix)) {
        excluded = true;
        continue;
      }
      const relative = key.slice(input.prefix.length);
      const lower = relative.toLowerCase();
      if (!suffixes.some((suffix) => lower.endsWith(suffix))) {
        ignored.push(relative);
        continue;
      }
      const problem = keyProblem(relative);
      if (problem !== null) problems.push({ key: relative, reason: problem });
      else images.push(entryOf(input, object, key, relative));
    }
  }
  images.sort((a, b) => compareCodePoints(a.key, b.key));
  ignored.sort(compareCodePoints);
  problems.sort((a, b) => compareCodePoints(a.key, b.key));
  const excludedKeys =
    excluded && excludedPrefix !== null ? [excludedPrefix.slice(input.prefix.length, -1)] : [];
  return { images, ignored, hidden: 0, symlinks: 0, problems, excluded: excludedKeys };
}

function entryOf(input: S3Location, object: _Object, key: string, relative: string): InputEntry {
  return {
    key: relative,
    source: {
      kind: 'object',
      bucket: input.bucket,
      key,
      size: object.Size ?? null,
      eTag: object.ETag?.replace(/^"|"$/g, '') ?? null,
    },
    display: formatS3Url({ bucket: input.bucket, prefix: '' }, key),
  };
}

function keyProblem(relative: string): string | null {
  try {
    assertRelativeKey(relative);
    return null;
  } catch (error) {
    return `cannot be mirrored to outputs: ${error instanceof Error ? error.message : String(error)}`;
  }
}
