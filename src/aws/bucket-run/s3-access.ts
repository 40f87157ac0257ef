import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type Environment, forcePathStyle as forcePathStyleFromEnv } from '../worker/worker-config.js';

/** How `augmix run` reaches S3, as given on its command line. */
export interface S3AccessOptions {
  /** `--endpoint-url`: an S3-API server instead of AWS (s3rver, MinIO, LocalStack). @default none */
  readonly endpointUrl?: string;
  /** `--region`. @default the SDK's chain (AWS_REGION, the profile), else us-east-1 */
  readonly region?: string;
  /** `--profile`: a named profile of ~/.aws/config. @default the SDK's chain (AWS_PROFILE, default) */
  readonly profile?: string;
  /** `--force-path-style`. @default false (but an endpoint URL implies it) */
  readonly forcePathStyle?: boolean;
}

/** The resolved client settings: plain data, so that worker threads build the same client. */
export interface S3ClientSettings {
  readonly region: string;
  readonly profile: string | null;
  readonly endpoint: string | null;
  readonly forcePathStyle: boolean;
  /** Checksums only where S3 requires them (local servers reject the SDK's default CRC trailers). */
  readonly checksumsWhenRequired: { readonly request: boolean; readonly response: boolean };
  /** No credentials were found and an endpoint is set: requests go unsigned (s3rver accepts them). */
  readonly unsigned: boolean;
}

/** No AWS credentials could be found (and no endpoint was given, so unsigned requests make no sense). */
export class S3CredentialsError extends Error {
  override readonly name = 'S3CredentialsError';
}

/** Default region when neither `--region` nor the SDK's chain names one (buckets elsewhere are redirected). */
export const FALLBACK_REGION = 'us-east-1';

/**
 * Resolves the client settings once, in the main thread:
 *
 * - endpoint: `--endpoint-url`, else the SDK's own `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`;
 * - path-style addressing with `--force-path-style`, `AUGMIX_S3_FORCE_PATH_STYLE=true` (the worker's switch),
 *   or an explicit `--endpoint-url` (local servers do not have a DNS name per bucket);
 * - with an endpoint, checksums `WHEN_REQUIRED` unless `AWS_REQUEST_CHECKSUM_CALCULATION` /
 *   `AWS_RESPONSE_CHECKSUM_VALIDATION` say otherwise;
 * - region: `--region`, the SDK's chain, else {@link FALLBACK_REGION};
 * - credentials: the SDK's chain (env, `--profile`/AWS_PROFILE, SSO, …); when it finds none and an endpoint is
 *   set (and no profile was named), requests are sent unsigned.
 *
 * @throws S3CredentialsError when no credentials are found for AWS itself
 * @throws ConfigError for a bad AUGMIX_S3_FORCE_PATH_STYLE
 */
export async function resolveS3ClientSettings(
  options: S3AccessOptions,
  env: Environment = process.env,
): Promise<S3ClientSettings> {
  const endpoint = options.endpointUrl ?? null;
  const anyEndpoint = endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? null;
  const draft: S3ClientSettings = {
    region: options.region ?? '',
    profile: options.profile ?? null,
    endpoint,
    forcePathStyle: options.forcePathStyle === true || forcePathStyleFromEnv(env) || endpoint !== null,
    checksumsWhenRequired: {
      request: anyEndpoint !== null && env.AWS_REQUEST_CHECKSUM_CALCULATION === undefined,
      response: anyEndpoint !== null && env.AWS_RESPONSE_CHECKSUM_VALIDATION === undefined,
    },
    unsigned: false,
  };
  const probe = createRunS3Client(draft);
  try {
    const region = options.region ?? (await probe.config.region().catch(() => '')) ?? '';
    const found = await probe.config.credentials().then(
      () => true,
      () => false,
    );
    if (!found && (anyEndpoint === null || options.profile !== undefined)) {
      const where = options.profile === undefined ? '' : ` for profile ${JSON.stringify(options.profile)}`;
      throw new S3CredentialsError(
        `no AWS credentials found${where} (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ` +
          '--profile, or run `aws configure`)',
      );
    }
    return { ...draft, region: region === '' ? FALLBACK_REGION : region, unsigned: !found };
  } finally {
    probe.destroy();
  }
}

/** The S3 client of these settings (one per thread). */
export function createRunS3Client(settings: S3ClientSettings): S3Client {
  const config: S3ClientConfig = {
    forcePathStyle: settings.forcePathStyle,
    // a bucket in another region than the client's answers with a redirect; follow it
    followRegionRedirects: true,
  };
  if (settings.region !== '') config.region = settings.region;
  if (settings.profile !== null) config.profile = settings.profile;
  if (settings.endpoint !== null) config.endpoint = settings.endpoint;
  if (settings.checksumsWhenRequired.request) config.requestChecksumCalculation = 'WHEN_REQUIRED';
  if (settings.checksumsWhenRequired.response) config.responseChecksumValidation = 'WHEN_REQUIRED';
  if (settings.unsigned) {
    // anonymous requests: placeholder credentials keep the SDK from searching, the signer leaves requests as they are
    config.credentials = { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' };
    config.signer = { sign: async (request) => request };
  }
  return new S3Client(config);
}
