/** A bucket and a key prefix, as `augmix run` takes them (`s3://bucket/prefix/`). */
export interface S3Location {
  readonly bucket: string;
  /** '' (the whole bucket) or a prefix ending in `/`: the deployed worker's INPUT_PREFIX / OUTPUT_PREFIX rule. */
  readonly prefix: string;
}

const S3_SCHEME = /^s3:/i;

/** Whether a command-line argument names an S3 location (`s3://…`) rather than a local folder. */
export function isS3Url(argument: string): boolean {
  return S3_SCHEME.test(argument);
}

/**
 * Parses `s3://bucket`, `s3://bucket/` or `s3://bucket/prefix[/]`. The prefix is a folder: a missing trailing
 * `/` is added, as the deployed worker does with INPUT_PREFIX and OUTPUT_PREFIX, so `s3://b/train` and
 * `s3://b/train/` both take `train/cat/1.jpg` to the relative key `cat/1.jpg`.
 *
 * @throws Error naming the argument when it is not of that form
 */
export function parseS3Url(argument: string): S3Location {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/i.exec(argument);
  const bucket = match?.[1];
  if (match === null || bucket === undefined) {
    throw new Error(`expected s3://bucket or s3://bucket/prefix/ but got ${JSON.stringify(argument)}`);
  }
  const prefix = match[2] ?? '';
  if (prefix.startsWith('/')) {
    throw new Error(`expected a key prefix without a leading "/" in ${JSON.stringify(argument)}`);
  }
  return { bucket, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/** `s3://bucket/prefix/`, or with a key below the prefix `s3://bucket/prefix/key`. */
export function formatS3Url(location: S3Location, key = ''): string {
  return `s3://${location.bucket}/${location.prefix}${key}`;
}
