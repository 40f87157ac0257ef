import { describe, expect, it } from 'vitest';
import { relativeKeyOfSample, sampleKey } from '../../src/shards/sample-key.js';

// WebDataset's own key rule: the key is everything up to the first "." of the last path segment
const WEBDATASET_KEY = /^((?:.*\/|)[^.]+)[.]([^/]*)$/;

const keys = [
  'street.jpg',
  'train/cat/001.jpg',
  'a.b/c.d/e.f.g.png',
  'weird/100%.v2.png',
  'weird/%2E already.jpg',
  'no-extension',
  'données/日本語.webp',
  '.hidden.jpg',
];

describe('sampleKey', () => {
  it('leaves no dot in the last segment, keeps folders, and round-trips', () => {
    for (const key of keys) {
      const sample = sampleKey(key);
      const last = sample.slice(sample.lastIndexOf('/') + 1);
      expect(last).not.toContain('.');
      expect(sample.slice(0, sample.lastIndexOf('/') + 1)).toBe(key.slice(0, key.lastIndexOf('/') + 1));
      expect(relativeKeyOfSample(sample)).toBe(key);
      const match = WEBDATASET_KEY.exec(`${sample}.aug0.jpg`);
      expect(match?.[1]).toBe(sample);
      expect(match?.[2]).toBe('aug0.jpg');
    }
  });

  it('maps different keys to different sample keys', () => {
    const tricky = ['a.jpg', 'a%2Ejpg', 'a%252Ejpg', 'a%jpg', 'a%25jpg'];
    expect(new Set(tricky.map(sampleKey)).size).toBe(tricky.length);
    expect(sampleKey('x/a.b.jpg')).toBe('x/a%2Eb%2Ejpg');
    expect(sampleKey('x/100%.png')).toBe('x/100%25%2Epng');
  });

  it('refuses keys that are not relative keys, and sample keys with a dot or a foreign escape', () => {
    expect(() => sampleKey('/abs.jpg')).toThrow(/relativeKey/);
    expect(() => relativeKeyOfSample('a/b.jpg')).toThrow(/sample key/);
    expect(() => relativeKeyOfSample('a/b%20c')).toThrow(/sample key/);
  });
});
