import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { folderListing, type InputListing } from '../../run/input-listing.js';
import { RunFatalError, type RunInput, type RunOutput, RunUsageError } from '../../run/run-targets.js';
import { formatS3Url, type S3Location } from '../../run/s3-location.js';
import { walkInputs } from '../../run/walk.js';
import { isObjectGone } from '../worker/s3-errors.js';
import { ConfigError } from '../worker/worker-config.js';
import { listBucketInputs } from './bucket-listing.js';
import {
  createRunS3Client,
  resolveS3ClientSettings,
  type S3AccessOptions,
  type S3ClientSettings,
  S3CredentialsError,
} from './s3-access.js';

// The main thread's S3 side of `augmix run`, loaded only when the input or the output is a bucket.

/** Resolves the S3 client settings; a bad setting is a usage error, missing credentials a fatal one. */
export async function s3ClientSettings(access: S3AccessOptions): Promise<S3ClientSettings> {
  try {
    return await resolveS3ClientSettings(access);
  } catch (error) {
    if (error instanceof ConfigError) throw new RunUsageError(error.message, { cause: error });
    if (error instanceof S3CredentialsError) throw new RunFatalError(error.message, { cause: error });
    throw error;
  }
}

/**
 * For a run with an `s3://` input or output: walks the input folder or lists the input prefix, and checks
 * first that an output bucket exists.
 */
export async function listWithS3(
  input: RunInput,
  output: RunOutput,
  s3Settings: S3ClientSettings,
  extensions: readonly string[] | undefined,
): Promise<InputListing> {
  const s3 = createRunS3Client(s3Settings);
  try {
    if (output.kind === 'bucket') await checkOutputBucket(s3, output.location);
    if (input.kind === 'folder') {
      const exclude = output.kind === 'folder' ? [output.root] : [];
      return folderListing(await walkInputs(input.root, { extensions, exclude }));
    }
    return await listBucket(s3, input.location, output, extensions);
  } finally {
    s3.destroy();
  }
}

async function listBucket(
  s3: S3Client,
  location: S3Location,
  output: RunOutput,
  extensions: readonly string[] | undefined,
): Promise<InputListing> {
  try {
    const outputLocation = output.kind === 'bucket' ? output.location : null;
    return await listBucketInputs(s3, location, { extensions, output: outputLocation });
  } catch (error) {
    const url = formatS3Url(location);
    if (errorName(error) === 'NoSuchBucket') {
      throw new RunUsageError(`the input bucket of ${url} does not exist`, { cause: error });
    }
    throw new RunFatalError(`cannot list ${url}: ${s3ErrorText(error)}`, { cause: error });
  }
}

/**
 * Fails early when the output bucket does not exist (HeadBucket 404). Other answers (403 without
 * s3:ListBucket, which writing does not need) are left to the writes.
 */
async function checkOutputBucket(s3: S3Client, location: S3Location): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: location.bucket }));
  } catch (error) {
    if (isObjectGone(error) || errorName(error) === 'NoSuchBucket') {
      throw new RunFatalError(`cannot write to ${formatS3Url(location)}: the bucket does not exist`, {
        cause: error,
      });
    }
  }
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** An SDK error as one line: `AccessDenied: Access Denied`, or the message alone. */
function s3ErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const name = errorName(error);
  return name !== undefined && name !== 'Error' && !message.startsWith(name)
    ? `${name}: ${message}`
    : message;
}
