import { describe, expect, it } from 'vitest';
import * as core from '../../src/augmix/index.js';

describe('the core barrel (src/augmix/index.ts)', () => {
  it('exports the public API of every core module', () => {
    const names = [
      'applyOp',
      'augmentAndMix',
      'augmentJsd',
      'replayRecord',
      'replayRecordWithChains',
      'runChain',
      'mixImages',
      'mixValue',
      'sampleRecord',
      'resolveAugmixParameters',
      'parseRecord',
      'LegacyRandomState',
      'Mt19937',
      'valueFromLevel',
      'drawOpValue',
      'variantSeed',
      'variantNames',
      'createImage',
      'invalidParameter',
      'ALL_OPS',
      'DEFAULT_OPS',
    ] as const;
    const exported: Record<string, unknown> = { ...core };
    for (const name of names) expect(exported[name], name).toBeDefined();
  });

  it('runs a whole variant through the barrel', () => {
    const image = core.createImage(8, 6);
    image.data.forEach((_, i) => {
      image.data[i] = (i * 37) % 256;
    });
    const seed = core.variantSeed(0, 'train/cat/001.png', 0);
    const { image: out, record } = core.augmentAndMix(image, {}, seed);
    expect(core.replayRecord(image, core.parseRecord(JSON.parse(JSON.stringify(record)))).data).toEqual(
      out.data,
    );
  });
});
