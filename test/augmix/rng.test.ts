import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LegacyRandomState, Mt19937 } from '../../src/augmix/random/index.js';
import { GOLDEN_DIR } from '../helpers/golden.js';

type Call =
  | ['random']
  | ['uniform', number?, number?]
  | ['randint', number, number]
  | ['choice', number]
  | ['standard_normal']
  | ['standard_exponential']
  | ['standard_gamma', number]
  | ['beta', number, number]
  | ['dirichlet', number[]];

interface SeedCase {
  readonly seed: number;
  readonly stateHead: number[];
  readonly stateTail: number;
  readonly uint32: number[];
  readonly calls: { call: Call; result: number | number[] | null }[];
}

/** `test/fixtures/golden/rng.json`, written by `scripts/generate-rng-fixtures.py` from numpy's RandomState. */
const fixture = JSON.parse(readFileSync(join(GOLDEN_DIR, 'rng.json'), 'utf8')) as { seeds: SeedCase[] };

function run(rng: LegacyRandomState, call: Call): number | number[] {
  switch (call[0]) {
    case 'random':
      return rng.random();
    case 'uniform':
      return rng.uniform(call[1], call[2]);
    case 'randint':
      return rng.randint(call[1], call[2]);
    case 'choice':
      return rng.choice(Array.from({ length: call[1] }, (_, i) => i));
    case 'standard_normal':
      return rng.standardNormal();
    case 'standard_exponential':
      return rng.standardExponential();
    case 'standard_gamma':
      return rng.standardGamma(call[1]);
    case 'beta':
      return rng.beta(call[1], call[2]);
    case 'dirichlet':
      return rng.dirichlet(call[1]);
  }
}

describe('LegacyRandomState against numpy RandomState (rng.json)', () => {
  it('covers several seeds, every draw kind and numpy NaN Dirichlet draws', () => {
    const kinds = new Set(fixture.seeds.flatMap((s) => s.calls.map((c) => c.call[0])));
    expect([...kinds].sort()).toEqual(
      [
        'beta',
        'choice',
        'dirichlet',
        'randint',
        'random',
        'standard_exponential',
        'standard_gamma',
        'standard_normal',
        'uniform',
      ].sort(),
    );
    const nanDirichlet = fixture.seeds.flatMap((s) => s.calls).filter((c) => c.result === null);
    expect(nanDirichlet.length).toBeGreaterThan(0);
  });

  for (const seedCase of fixture.seeds) {
    it(`seed ${seedCase.seed}: MT19937 seeding and raw 32-bit outputs`, () => {
      const mt = new Mt19937(seedCase.seed);
      const raw = seedCase.uint32.map(() => mt.nextUint32());
      expect(raw).toEqual(seedCase.uint32);
      // stateHead[0] is the seed itself (init_genrand); the following words are checked through the outputs
      expect(seedCase.stateHead[0]).toBe(seedCase.seed);
    });

    it(`seed ${seedCase.seed}: ${seedCase.calls.length} interleaved draws equal numpy's`, () => {
      const rng = new LegacyRandomState(seedCase.seed);
      seedCase.calls.forEach(({ call, result }, index) => {
        const actual = run(rng, call);
        const where = `call ${index} ${JSON.stringify(call)}`;
        if (result === null) {
          // numpy gave NaN (0/0 after the gammas underflowed): ours is a finite probability vector
          expect(call[0], where).toBe('dirichlet');
          const weights = actual as number[];
          expect(
            weights.every((w) => Number.isFinite(w) && w >= 0 && w <= 1),
            where,
          ).toBe(true);
          expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1), where).toBeLessThan(1e-12);
        } else if (EXACT_CALLS.has(call[0])) {
          expect(actual, where).toBe(result);
        } else {
          expectClose([actual].flat(), [result].flat(), where);
        }
      });
    });
  }

  it('reproduces most transcendental draws bit for bit (V8 and glibc libm differ by an ulp at times)', () => {
    let values = 0;
    let identical = 0;
    for (const seedCase of fixture.seeds) {
      const rng = new LegacyRandomState(seedCase.seed);
      for (const { call, result } of seedCase.calls) {
        const actual = [run(rng, call)].flat();
        if (result === null || EXACT_CALLS.has(call[0])) continue;
        [result].flat().forEach((expected, i) => {
          values++;
          if (Object.is(actual[i], expected)) identical++;
        });
      }
    }
    expect(values).toBeGreaterThan(1000);
    expect(identical / values).toBeGreaterThan(0.8);
  });
});

/**
 * MT19937 as numpy's `mt19937_gen` runs it: all 624 words regenerated at once when the state is used up; the
 * first `count` tempered outputs after seeding with `seed`.
 */
function eagerMt19937Outputs(seed: number, count: number): number[] {
  const n = 624;
  const m = 397;
  const key = new Uint32Array(n);
  key[0] = seed;
  for (let i = 1; i < n; i++) key[i] = Math.imul(1812433253, key[i - 1]! ^ (key[i - 1]! >>> 30)) + i;
  const twist = (i: number, next: number, far: number): number => {
    const y = (key[i]! & 0x80000000) | (key[next]! & 0x7fffffff);
    return key[far]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
  };
  const outputs: number[] = [];
  let pos = n;
  while (outputs.length < count) {
    if (pos === n) {
      for (let i = 0; i < n; i++) key[i] = twist(i, (i + 1) % n, (i + m) % n);
      pos = 0;
    }
    let y = key[pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    outputs.push(y >>> 0);
  }
  return outputs;
}

/** Draws that involve no libm function: these must be identical to numpy's. */
const EXACT_CALLS: ReadonlySet<string> = new Set(['random', 'uniform', 'randint', 'choice']);

/**
 * Draws that go through log/pow/exp/sqrt may differ from numpy's in the last bit or two, because V8's libm
 * (fdlibm) and glibc's round differently; the algorithms and the stream are identical (every following draw
 * still matches). Relative 1e-12 covers the worst conditioning (Johnk's log-space branch at alpha 0.001).
 */
function expectClose(actual: number[], expected: number[], where: string): void {
  expect(actual.length, where).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    expect(Math.abs(a - e) <= 1e-12 * Math.abs(e), `${where}[${i}]: got ${a}, numpy ${e}`).toBe(true);
  });
}

describe('LegacyRandomState behaviour', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const rng = new LegacyRandomState(seed);
      return [rng.random(), rng.dirichlet([1, 1, 1]), rng.beta(0.5, 0.5), rng.randint(0, 100)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('randint with a one-value range draws nothing', () => {
    const a = new LegacyRandomState(3);
    const b = new LegacyRandomState(3);
    expect(a.randint(5, 6)).toBe(5);
    expect(a.random()).toBe(b.random());
  });

  it('randint with one argument draws from [0, n)', () => {
    const a = new LegacyRandomState(11);
    const b = new LegacyRandomState(11);
    expect(a.randint(13)).toBe(b.randint(0, 13));
  });

  it('clone continues the same MT19937 stream', () => {
    const mt = new Mt19937(99);
    for (let i = 0; i < 700; i++) mt.nextUint32();
    const copy = mt.clone();
    expect(Array.from({ length: 10 }, () => copy.nextDouble())).toEqual(
      Array.from({ length: 10 }, () => mt.nextDouble()),
    );
  });

  it('regenerates its state word by word with the outputs of the all-at-once regeneration, clones included', () => {
    for (const seed of [0, 1, 5489, 0xffffffff]) {
      const expected = eagerMt19937Outputs(seed, 2000);
      const mt = new Mt19937(seed);
      const clones = new Map<number, Mt19937>();
      const outputs = expected.map((_, i) => {
        // clones taken at the generation's edges and where the regeneration's second loop starts
        if ([0, 226, 227, 228, 623, 624, 625, 1247, 1248].includes(i)) clones.set(i, mt.clone());
        return mt.nextUint32();
      });
      expect(outputs).toEqual(expected);
      for (const [at, copy] of clones) {
        expect(
          Array.from({ length: 700 }, () => copy.nextUint32()),
          `clone at ${at}`,
        ).toEqual(expected.slice(at, at + 700));
      }
    }
  });

  it('Dirichlet never returns NaN for tiny alpha and keeps the stream aligned with numpy', () => {
    for (let seed = 0; seed < 200; seed++) {
      const weights = new LegacyRandomState(seed).dirichlet([1e-4, 1e-4, 1e-4]);
      expect(weights.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
      expect(Math.abs(weights[0]! + weights[1]! + weights[2]! - 1)).toBeLessThan(1e-12);
    }
  });

  it('rejects invalid seeds and arguments with named errors', () => {
    expect(() => new LegacyRandomState(-1)).toThrow(
      'Expected seed to be an integer in 0..4294967295 but received -1',
    );
    expect(() => new LegacyRandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new LegacyRandomState(1.5)).toThrow(/seed/);
    const rng = new LegacyRandomState(0);
    expect(() => rng.randint(4, 4)).toThrow(
      'Expected randint high to be a safe integer > low (4) but received 4',
    );
    expect(() => rng.randint(0, 2 ** 32 + 1)).toThrow(/randint high - low/);
    expect(() => rng.choice([])).toThrow(/choice items/);
    expect(() => rng.dirichlet([1, 0])).toThrow(
      'Expected dirichlet alpha[1] to be a finite number > 0 but received 0',
    );
    expect(() => rng.dirichlet([])).toThrow(/dirichlet alpha/);
    expect(() => rng.beta(Number.NaN, 1)).toThrow(/beta a/);
    expect(() => rng.standardGamma(-1)).toThrow(/shape/);
    expect(() => rng.uniform(0, Number.POSITIVE_INFINITY)).toThrow(/uniform/);
  });
});
