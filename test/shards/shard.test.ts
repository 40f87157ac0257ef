import { describe, expect, it } from 'vitest';
import type { ProvenanceRecord } from '../../src/augmix/record.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import type { ProcessedImage } from '../../src/pipeline/types.js';
import { buildDatasetManifest, ManifestSettingsError } from '../../src/shards/manifest.js';
import {
  buildShard,
  type ShardContents,
  type ShardSample,
  shardIndexName,
  shardName,
} from '../../src/shards/shard.js';
import { readTar } from '../../src/shards/tar-read.js';

const RECORD: ProvenanceRecord = {
  version: 1,
  width: 1,
  severity: 3,
  allOps: false,
  weights: [1],
  m: 0.5,
  chains: [[]],
};

/** A processed input with recognisable bytes per output (the shard layer only moves bytes). */
function processed(relativeKey: string, variants: number, jsd: boolean, ext = 'png'): ProcessedImage {
  const count = jsd ? variants * 2 : variants;
  return {
    relativeKey,
    variants: Array.from({ length: count }, (_, variant) => ({
      name: `${relativeKey}.augmix-${variant}.${ext}`,
      bytes: new TextEncoder().encode(`${relativeKey} variant ${variant}`),
      contentType: `image/${ext}`,
      variant,
      seed: 1000 + variant,
      record: RECORD,
    })),
    documentName: `${relativeKey}.augmix.json`,
    clean: jsd
      ? {
          name: `${relativeKey}.clean.${ext}`,
          bytes: new TextEncoder().encode(`${relativeKey} clean`),
          contentType: 'x',
        }
      : null,
    timings: { decodeMs: 0, augmentMs: 0, encodeMs: 0 },
  };
}

function sample(relativeKey: string, variants = 2, jsd = false, ext = 'png'): ShardSample {
  return {
    source: { key: `in/${relativeKey}`, eTag: '"e"', size: 10 },
    processed: processed(relativeKey, variants, jsd, ext),
  };
}

function contents(samples: ShardSample[], jsd = false, firstIndex = 0): ShardContents {
  return {
    firstIndex,
    samples,
    failures: [],
    ignored: [],
    settings: resolveSettings({ variants: 2, jsd }),
    tool: 't',
  };
}

describe('buildShard', () => {
  it('orders samples by key and members by field, whatever order the images finished in', () => {
    const samples = [sample('b/2.png'), sample('a/1.png'), sample('a-z.png'), sample('a/1%.png')];
    const { bytes } = buildShard(contents(samples));
    const names = readTar(bytes).map((m) => m.name);
    expect(names).toEqual([
      'a-z%2Epng.aug0.png',
      'a-z%2Epng.aug1.png',
      'a-z%2Epng.json',
      'a/1%25%2Epng.aug0.png',
      'a/1%25%2Epng.aug1.png',
      'a/1%25%2Epng.json',
      'a/1%2Epng.aug0.png',
      'a/1%2Epng.aug1.png',
      'a/1%2Epng.json',
      'b/2%2Epng.aug0.png',
      'b/2%2Epng.aug1.png',
      'b/2%2Epng.json',
    ]);
    const reversed = buildShard(contents([...samples].reverse()));
    expect(Buffer.from(reversed.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('names JSD pairs aug{j}a / aug{j}b beside the clean view, and records the fields in the json member', () => {
    const { bytes } = buildShard(contents([sample('x.jpg', 2, true, 'jpg')], true));
    const members = readTar(bytes);
    expect(members.map((m) => m.name)).toEqual([
      'x%2Ejpg.aug0a.jpg',
      'x%2Ejpg.aug0b.jpg',
      'x%2Ejpg.aug1a.jpg',
      'x%2Ejpg.aug1b.jpg',
      'x%2Ejpg.clean.jpg',
      'x%2Ejpg.json',
    ]);
    expect(new TextDecoder().decode(members[2]?.bytes)).toBe('x.jpg variant 2');
    const document = JSON.parse(new TextDecoder().decode(members[5]?.bytes));
    expect(document.variants.map((v: { field: string; seed: number }) => [v.field, v.seed])).toEqual([
      ['aug0a.jpg', 1000],
      ['aug0b.jpg', 1001],
      ['aug1a.jpg', 1002],
      ['aug1b.jpg', 1003],
    ]);
    expect(document).toMatchObject({
      input: 'x.jpg',
      clean: 'clean.jpg',
      source: { key: 'in/x.jpg', eTag: '"e"', size: 10 },
    });
  });

  it('indexes where every member’s data lies, and names the shard after its first index', () => {
    const { bytes, index } = buildShard(contents([sample('a.png'), sample('b.png')], false, 4000));
    expect(index.shard).toBe('shard-000004000.tar');
    expect(index.bytes).toBe(bytes.byteLength);
    for (const entry of index.samples.flatMap((s) => s.members)) {
      const member = readTar(bytes).find((m) => m.name === entry.name);
      expect(
        Buffer.from(bytes.subarray(entry.offset, entry.offset + entry.size)).equals(
          Buffer.from(member?.bytes ?? []),
        ),
      ).toBe(true);
    }
  });
});

describe('shard names', () => {
  it('pads to nine digits and refuses negative or fractional positions', () => {
    expect(shardName(0)).toBe('shard-000000000.tar');
    expect(shardName(123_456_789_0)).toBe('shard-1234567890.tar');
    expect(shardIndexName('shard-000000007.tar')).toBe('shard-000000007.index.json');
    expect(() => shardName(-1)).toThrow(/firstIndex/);
    expect(() => shardName(1.5)).toThrow(/firstIndex/);
  });
});

describe('buildDatasetManifest', () => {
  it('lists shards by first index with their counts, and the wids shard list', () => {
    const a = buildShard(contents([sample('c.png')], false, 3)).index;
    const b = buildShard({
      ...contents([sample('a.png'), sample('b.png')]),
      failures: [
        { source: { key: 'in/z.png', eTag: null, size: 1 }, input: 'z.png', code: 'truncated', message: 'z' },
      ],
    }).index;
    const { manifest, wids } = buildDatasetManifest([a, b], 'ds', 'tool 1');
    expect(manifest.shards.map((s) => [s.url, s.samples, s.failures])).toEqual([
      ['shard-000000000.tar', 2, 1],
      ['shard-000000003.tar', 1, 0],
    ]);
    expect(manifest.samples).toBe(3);
    expect(manifest.failures).toEqual([
      expect.objectContaining({ input: 'z.png', code: 'truncated', shard: 'shard-000000000.tar' }),
    ]);
    expect(wids.shardlist).toEqual([
      { url: 'shard-000000000.tar', nsamples: 2, filesize: b.bytes },
      { url: 'shard-000000003.tar', nsamples: 1, filesize: a.bytes },
    ]);
  });

  it('names the listing positions no shard covers, and refuses overlapping shards', () => {
    const at = (first: number, keys: string[]) =>
      buildShard(
        contents(
          keys.map((k) => sample(k)),
          false,
          first,
        ),
      ).index;
    const shards = [at(0, ['a.png', 'b.png']), at(4, ['c.png', 'd.png']), at(6, ['e.png'])];
    expect(buildDatasetManifest(shards, 'ds', 't').manifest.missing).toEqual([{ from: 2, to: 3 }]);
    expect(buildDatasetManifest(shards, 'ds', 't', 10).manifest.missing).toEqual([
      { from: 2, to: 3 },
      { from: 7, to: 9 },
    ]);
    expect(buildDatasetManifest(shards, 'ds', 't', 7).manifest.missing).toEqual([{ from: 2, to: 3 }]);
    expect(() => buildDatasetManifest([...shards, at(1, ['x.png'])], 'ds', 't')).toThrow(
      /shard-000000001\.tar starts at listing position 1, inside the shard before it/,
    );
  });

  it('refuses shard indexes written with other settings, naming the shard', () => {
    const a = buildShard(contents([sample('a.png')])).index;
    const b = buildShard({
      ...contents([sample('b.png')], false, 1),
      settings: resolveSettings({ variants: 2, seed: 9 }),
    }).index;
    expect(() => buildDatasetManifest([a, b], 'ds', 't')).toThrow(ManifestSettingsError);
    expect(() => buildDatasetManifest([a, b], 'ds', 't')).toThrow(
      /shard-000000001\.tar was written with settings/,
    );
    expect(() => buildDatasetManifest([], 'ds', 't')).toThrow(/at least one shard index/);
  });
});
