import { describe, expect, it } from 'vitest';
import { relativeKeyOf } from '../../src/aws/worker/augment-object.js';
import { checkObjectKey } from '../../src/aws/worker/object-names.js';
import type { S3ObjectEvent } from '../../src/aws/worker/s3-event.js';
import { readWorkerConfig } from '../../src/aws/worker/worker-config.js';
import { resolveSettings } from '../../src/pipeline/settings.js';

function event(bucket: string, key: string): S3ObjectEvent {
  return {
    eventName: 'ObjectCreated:Put',
    bucket,
    key,
    size: 1,
    eTag: 'e',
    versionId: null,
    sequencer: null,
  };
}

describe('relativeKeyOf', () => {
  const config = readWorkerConfig({
    OUTPUT_BUCKET: 'shared',
    INPUT_PREFIX: 'uploads/',
    OUTPUT_PREFIX: 'augmented/',
  });

  it('strips INPUT_PREFIX', () => {
    expect(relativeKeyOf(event('in', 'uploads/train/cat/1.jpg'), config)).toEqual({
      status: 'input',
      relativeKey: 'train/cat/1.jpg',
    });
  });

  it.each([
    ['shared', 'augmented/uploads/x.jpg.augmix-00.jpg', /under the output prefix; not augmenting outputs/],
    ['in', 'elsewhere/x.jpg', /outside INPUT_PREFIX "uploads\/"/],
    ['in', 'uploads/folder/', /is a folder marker/],
  ])('skips s3://%s/%s', (bucket, key, reason) => {
    const target = relativeKeyOf(event(bucket, key), config);
    expect(target).toEqual({
      status: 'other',
      outcome: { status: 'skipped', reason: expect.stringMatching(reason) },
    });
  });

  it('takes the whole key when INPUT_PREFIX is empty, and reads an input bucket that is also the output bucket outside the output prefix', () => {
    const whole = readWorkerConfig({ OUTPUT_BUCKET: 'shared', OUTPUT_PREFIX: 'augmented' });
    expect(relativeKeyOf(event('shared', 'photos/a.jpg'), whole)).toEqual({
      status: 'input',
      relativeKey: 'photos/a.jpg',
    });
  });

  it('gives keys that cannot be mirrored a failure record at a hashed name', () => {
    const target = relativeKeyOf(event('in', 'uploads/a//b.jpg'), config);
    expect(target).toMatchObject({
      status: 'unnameable',
      check: {
        ok: false,
        key: 'uploads/a//b.jpg',
        recordKey: expect.stringMatching(/augmix-failures\/[0-9a-f]{64}\.json$/),
        error: { code: 'invalid-key' },
      },
    });
  });

  it('has no record name for a key when even the hashed name would pass 1,024 bytes', () => {
    const check = checkObjectKey('in/a//b.jpg', 'a//b.jpg', {
      outputPrefix: `${'p'.repeat(950)}/`,
      settings: resolveSettings({}),
    });
    expect(check).toMatchObject({ ok: false, recordKey: null, error: { code: 'invalid-key' } });
  });
});
