import { describe, expect, it } from 'vitest';
import { everyOutputName } from '../../src/augmix/layout.js';
import { resolveSettings } from '../../src/pipeline/settings.js';
import { assertStorableLocally, MAX_NAME_BYTES } from '../../src/run/local-names.js';

/** The rule itself: some segment of some output name is over the limit. */
function tooLong(key: string, variants: number, jsd: boolean): boolean {
  return everyOutputName(key, variants, jsd).some((name) =>
    name.split('/').some((segment) => Buffer.byteLength(segment, 'utf8') > MAX_NAME_BYTES),
  );
}

describe('assertStorableLocally', () => {
  const settings = [resolveSettings({ variants: 4 }), resolveSettings({ variants: 120, jsd: true })];
  // last segments and folders around the limit, in 1-, 2-, 3- and 4-byte characters
  const keys: string[] = [];
  for (const char of ['a', 'é', '語', '😀']) {
    for (const length of [1, 50, 75, 80, 84, 120, 200, 230, 232, 234, 236, 240, 255, 256]) {
      const name = char.repeat(Math.ceil(length / Buffer.byteLength(char)));
      keys.push(`${name}.png`, `dir/${name}.png`, `${name}/x.png`, `a/${name}/b/c.jpg`);
    }
  }

  it.each(settings.map((s) => [s.variants, s.jsd, s] as const))(
    'fails exactly the keys with an output name segment over 255 bytes (variants %i, jsd %s)',
    (variants, jsd, s) => {
      let failed = 0;
      for (const key of keys) {
        const expected = tooLong(key, variants, jsd);
        if (expected) {
          failed += 1;
          expect(() => assertStorableLocally(key, s), key).toThrow(/would be \d+ bytes/);
        } else {
          expect(() => assertStorableLocally(key, s), key).not.toThrow();
        }
      }
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThan(keys.length);
    },
  );

  it('names the segment that is too long and its length', () => {
    const folder = 'f'.repeat(256);
    expect(() => assertStorableLocally(`${folder}/x.png`, settings[0]!)).toThrow(
      `its output file name "${folder}" would be 256 bytes`,
    );
  });
});
