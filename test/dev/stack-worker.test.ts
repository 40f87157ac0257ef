import { describe, expect, it } from 'vitest';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../lib/defaults.js';
import { PipelineSettingsError } from '../../lib/resolve-pipeline-settings.js';
import { DEV_BUCKETS, readStackWorker } from '../../lib/stack-worker.js';
import { workerSizing } from '../../lib/worker-sizing.js';
import { functionEnvironment } from '../../src/aws/dev/dev-server.js';
import { encodeEventKey, staysInside, unstorableKeyReason } from '../../src/aws/dev/s3-keys.js';

describe('readStackWorker: what augmix dev reads from the stack', () => {
  const worker = readStackWorker({
    variants: '3',
    timeoutSeconds: '7',
    maxPixels: '100000',
    batchSize: '4',
    maxBatchingWindowSeconds: '2',
    maxReceiveCount: '3',
    memorySize: '1769',
    inputPrefix: 'in/',
    outputPrefix: 'out/',
    suffixes: '.png',
  });

  it('takes the function’s environment as the stack sets it, with the dev bucket names', () => {
    const sizing = workerSizing(1769);
    expect(worker.environment).toMatchObject({
      OUTPUT_BUCKET: DEV_BUCKETS.output,
      INPUT_PREFIX: 'in/',
      OUTPUT_PREFIX: 'out/',
      IMAGE_CONCURRENCY: String(sizing.imageConcurrency),
      VIPS_CONCURRENCY: String(sizing.vipsConcurrency),
      UV_THREADPOOL_SIZE: String(sizing.uvThreadpoolSize),
    });
    expect(JSON.parse(worker.environment.AUGMIX_SETTINGS ?? '')).toEqual({ variants: 3, maxPixels: 100_000 });
    expect(worker.inputBucket).toBe(DEV_BUCKETS.input);
  });

  it('takes the timeout, the event source mapping, the queue and the notification filters from the stack', () => {
    expect(worker).toMatchObject({
      timeoutSeconds: 7,
      memorySize: 1769,
      batchSize: 4,
      maxBatchingWindowSeconds: 2,
      reportBatchItemFailures: true,
      visibilityTimeoutSeconds: 7 * VISIBILITY_TIMEOUT_FACTOR,
      maxReceiveCount: 3,
    });
    expect(worker.notificationFilters).toEqual([
      { events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.png' },
      { events: ['s3:ObjectCreated:*'], prefix: 'in/', suffix: '.PNG' },
    ]);
  });

  it('writes into the input bucket when the stack does', () => {
    const same = readStackWorker({ outputToInputBucket: 'true', inputPrefix: 'in/', outputPrefix: 'out/' });
    expect(same.outputBucket).toBe(same.inputBucket);
    expect(same.environment.OUTPUT_BUCKET).toBe(same.inputBucket);
  });

  it('refuses settings the stack refuses, with the stack’s error', () => {
    expect(() => readStackWorker({ timeoutSeconds: '0', variants: '0' })).toThrow(PipelineSettingsError);
  });

  it('gives the function the stack’s variables, pointing its S3 client at the local endpoint', () => {
    const env = functionEnvironment(worker, 'http://127.0.0.1:1', 'fn');
    for (const [name, value] of Object.entries(worker.environment)) expect(env[name]).toBe(value);
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1',
      AUGMIX_S3_FORCE_PATH_STYLE: 'true',
    });
  });
});

describe('s3-keys', () => {
  it('refuses keys whose segments would climb out of, or collide inside, the bucket folder', () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', '.', '..', '', 'a\0b']) {
      expect(unstorableKeyReason(key), key).not.toBeNull();
    }
    for (const key of ['a', 'a/b.png', 'folder/', '..a/b..', 'a b/+/é.png', '...']) {
      expect(unstorableKeyReason(key), key).toBeNull();
      expect(staysInside('/data', 'bucket', key), key).toBe(true);
    }
    expect(staysInside('/data', 'bucket', '../other/x')).toBe(false);
  });

  it('encodes event keys as S3 does: space as +, reserved and non-ASCII bytes percent-encoded, / kept', () => {
    expect(encodeEventKey('uploads/my photo(1).jpg')).toBe('uploads/my+photo%281%29.jpg');
    expect(encodeEventKey('a+b/café ☕.png')).toBe('a%2Bb/caf%C3%A9+%E2%98%95.png');
  });
});
