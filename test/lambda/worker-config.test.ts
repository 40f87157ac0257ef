import { describe, expect, it } from 'vitest';
import { ConfigError, forcePathStyle, readWorkerConfig } from '../../src/aws/worker/worker-config.js';
import { imageTimeReserveMs } from '../../src/pipeline/image-budget.js';
import { resolveSettings } from '../../src/pipeline/settings.js';

const BASE = { OUTPUT_BUCKET: 'augmix-output' };

describe('readWorkerConfig', () => {
  it('applies the defaults of the worker environment contract', () => {
    expect(readWorkerConfig(BASE)).toEqual({
      outputBucket: 'augmix-output',
      inputPrefix: '',
      outputPrefix: '',
      settings: resolveSettings({}),
      imageConcurrency: 1,
      vipsConcurrency: null,
      deleteOutputsOnInputDelete: false,
      // the worst case of the default settings (100 MP, K = 4, one image at once)
      imageTimeReserveMs: imageTimeReserveMs({ ...resolveSettings({}), imageConcurrency: 1 }),
    });
  });

  it('reads DELETE_OUTPUTS_ON_INPUT_DELETE and IMAGE_TIME_RESERVE_MS', () => {
    const config = readWorkerConfig({
      ...BASE,
      DELETE_OUTPUTS_ON_INPUT_DELETE: 'true',
      IMAGE_TIME_RESERVE_MS: '45000',
    });
    expect(config).toMatchObject({ deleteOutputsOnInputDelete: true, imageTimeReserveMs: 45000 });
    expect(() => readWorkerConfig({ ...BASE, DELETE_OUTPUTS_ON_INPUT_DELETE: 'yes' })).toThrow(
      'Expected DELETE_OUTPUTS_ON_INPUT_DELETE to be true or false but received "yes"',
    );
  });

  it('reads every variable, treating prefixes as folders', () => {
    const config = readWorkerConfig({
      ...BASE,
      INPUT_PREFIX: 'uploads',
      OUTPUT_PREFIX: 'augmented/v1/',
      AUGMIX_SETTINGS: '{"variants": 8, "severity": 5, "format": "webp"}',
      IMAGE_CONCURRENCY: '3',
      VIPS_CONCURRENCY: '2',
    });
    expect(config).toMatchObject({
      inputPrefix: 'uploads/',
      outputPrefix: 'augmented/v1/',
      imageConcurrency: 3,
      vipsConcurrency: 2,
    });
    expect(config.settings).toEqual(resolveSettings({ variants: 8, severity: 5, format: 'webp' }));
  });

  it.each([
    [{}, /Expected OUTPUT_BUCKET to be set/],
    [
      { ...BASE, IMAGE_CONCURRENCY: '0' },
      /Expected IMAGE_CONCURRENCY to be an integer in 1..64 but received "0"/,
    ],
    [
      { ...BASE, IMAGE_CONCURRENCY: '2.5' },
      /Expected IMAGE_CONCURRENCY to be an integer in 1..64 but received "2.5"/,
    ],
    [
      { ...BASE, VIPS_CONCURRENCY: 'many' },
      /Expected VIPS_CONCURRENCY to be an integer >= 1 but received "many"/,
    ],
    [
      { ...BASE, INPUT_PREFIX: '/uploads/' },
      /Expected INPUT_PREFIX to be '' or a key prefix without a leading "\/"/,
    ],
    [
      { ...BASE, AUGMIX_SETTINGS: '{variants: 8}' },
      /Expected AUGMIX_SETTINGS to be a JSON object but it is not JSON/,
    ],
    [{ ...BASE, AUGMIX_SETTINGS: '[8]' }, /Expected AUGMIX_SETTINGS to be a JSON object but received \[8\]/],
    [{ ...BASE, AUGMIX_SETTINGS: '{"variants": 0}' }, /Invalid AUGMIX_SETTINGS: Expected variants to be/],
    [{ ...BASE, AUGMIX_SETTINGS: '{"severty": 5}' }, /Invalid AUGMIX_SETTINGS: .*unknown key\(s\) "severty"/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => readWorkerConfig(env)).toThrow(ConfigError);
    expect(() => readWorkerConfig(env)).toThrow(message);
  });
});

describe('forcePathStyle', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['1', true],
  ])('AUGMIX_S3_FORCE_PATH_STYLE=%s → %s', (value, expected) => {
    expect(forcePathStyle({ AUGMIX_S3_FORCE_PATH_STYLE: value })).toBe(expected);
  });

  it('rejects other values', () => {
    expect(() => forcePathStyle({ AUGMIX_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      'Expected AUGMIX_S3_FORCE_PATH_STYLE to be true or false but received "yes"',
    );
  });
});
