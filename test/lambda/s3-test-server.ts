import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { errorResponse, S3RVER_CREDENTIALS } from '../../src/aws/dev/s3-front.js';

interface S3rverOptions {
  readonly address: string;
  readonly port: number;
  readonly silent: boolean;
  readonly directory: string;
  readonly configureBuckets: readonly { readonly name: string }[];
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

// s3rver ships no types; this is the part of its API the tests use.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** A bucket every request to which is answered `503 SlowDown`, as S3 does under a request-rate spike. */
export const UNAVAILABLE_BUCKET = 'augmix-unavailable';

export { S3RVER_CREDENTIALS };

export interface S3TestServer {
  /** The endpoint to give the SDK (`AWS_ENDPOINT_URL_S3`). */
  readonly endpoint: string;
  /**
   * The S3 part of the worker environment contract pointed at this server: endpoint, path style, checksums
   * only where required, s3rver's credentials and a region.
   */
  readonly workerEnv: Readonly<Record<string, string>>;
  /** A client for this server (to upload inputs and read outputs in tests). */
  client(): S3Client;
  close(): Promise<void>;
}

function workerEnvFor(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AUGMIX_S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
}

function clientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * s3rver on a random loopback port, behind a small proxy that adds two behaviours of S3 that s3rver lacks:
 * conditional reads (`If-Match` on GET/HEAD answers `412 PreconditionFailed` when the ETag differs) and an
 * unavailable bucket (`503 SlowDown`). Everything else is forwarded unchanged, signatures included.
 */
export async function startS3TestServer(buckets: readonly string[]): Promise<S3TestServer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'augmix-s3rver-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const upstream = await s3rver.run();
  const proxy = http.createServer((req, res) => {
    handle(req, res, upstream.port).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    workerEnv: workerEnvFor(endpoint),
    client: () => clientFor(endpoint),
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  upstreamPort: number,
): Promise<void> {
  const url = req.url ?? '/';
  if (
    url === `/${UNAVAILABLE_BUCKET}` ||
    url.startsWith(`/${UNAVAILABLE_BUCKET}/`) ||
    url.startsWith(`/${UNAVAILABLE_BUCKET}?`)
  ) {
    req.resume();
    errorResponse(res, req.method, 503, 'SlowDown', 'Please reduce your request rate.');
    return;
  }
  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string' && (req.method === 'GET' || req.method === 'HEAD')) {
    const current = await currentETag(upstreamPort, url);
    if (current !== undefined && unquote(current) !== unquote(ifMatch)) {
      req.resume();
      errorResponse(
        res,
        req.method,
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
      );
      return;
    }
  }
  await new Promise<void>((resolve, reject) => {
    const forward = http.request(
      { host: '127.0.0.1', port: upstreamPort, method: req.method, path: url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res).on('finish', resolve).on('error', reject);
      },
    );
    forward.on('error', reject);
    req.pipe(forward);
  });
}

/** The object's ETag, asked anonymously (s3rver allows it), or `undefined` when it does not exist. */
function currentETag(port: number, url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const head = http.request(
      { host: '127.0.0.1', port, method: 'HEAD', path: url.split('?')[0] },
      (answer) => {
        answer.resume();
        const etag = answer.headers.etag;
        resolve(answer.statusCode === 200 && typeof etag === 'string' ? etag : undefined);
      },
    );
    head.on('error', reject);
    head.end();
  });
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
