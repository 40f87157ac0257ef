import { createServer, type Server, type Socket } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3Client } from '../../src/aws/worker/s3-client.js';

// A server that accepts connections and never answers: the stalled S3 connection the timeouts are for.
let server: Server;
let endpoint = '';
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createS3Client', () => {
  it('gives up on a request that never answers instead of waiting for the function timeout', async () => {
    // Prepare: the SDK reads its endpoint, region, credentials and attempts from the process environment
    const env = {
      AWS_ENDPOINT_URL_S3: endpoint,
      AUGMIX_S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '1',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const s3 = createS3Client(env, { connectionMs: 1_000, responseMs: 300, idleMs: 300 });
    const started = Date.now();

    // Act
    const outcome = await s3.send(new GetObjectCommand({ Bucket: 'in', Key: 'stalled.png' })).then(
      () => null,
      (error: Error) => error,
    );

    // Assess
    expect(outcome?.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(10_000);
    vi.unstubAllEnvs();
  });
});
