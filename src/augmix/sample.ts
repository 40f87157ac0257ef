import { invalidParameter } from './errors.js';
import { drawOpValue, type TranslateSize } from './levels.js';
import { ALL_OPS, DEFAULT_OPS, type OpName } from './op-names.js';
import { type AugmixParameters, resolveAugmixParameters } from './parameters.js';
import type { LegacyRandomState } from './random/legacy-random-state.js';
import type { OpStep, ProvenanceRecord } from './record.js';

/**
 * Draws one AugMix provenance record, consuming `rng` in the official order (google-research/augmix
 * `augment_and_mix` / `aug`): Dirichlet chain weights, Beta m, then for each chain its depth
 * (`randint(1, 4)` when depth <= 0) and for each step `choice(ops)` followed by that op's own draws.
 * Weights and m are rounded to float32 as the official `np.float32(...)` does.
 *
 * With `new LegacyRandomState(seed)` this returns exactly the record
 * `replay.py sample --seed <seed> --size W H` prints.
 *
 * @param size the image size, which scales translations (x by width / 3, y by height / 3)
 */
export function sampleRecord(
  rng: LegacyRandomState,
  params: Partial<AugmixParameters>,
  size: TranslateSize,
): ProvenanceRecord {
  const { severity, width, depth, alpha, allOps } = resolveAugmixParameters(params);
  assertSize(size);
  const ops: readonly OpName[] = allOps ? ALL_OPS : DEFAULT_OPS;
  const weights = rng.dirichlet(Array.from({ length: width }, () => alpha)).map(Math.fround);
  const m = Math.fround(rng.beta(alpha, alpha));
  const chains: OpStep[][] = [];
  for (let i = 0; i < width; i++) {
    const chainDepth = depth > 0 ? depth : rng.randint(1, 4);
    const chain: OpStep[] = [];
    for (let j = 0; j < chainDepth; j++) {
      const op = rng.choice(ops);
      chain.push({ op, value: drawOpValue(rng, op, severity, size) });
    }
    chains.push(chain);
  }
  return { version: 1, width, severity, allOps, weights, m, chains };
}

function assertSize(size: TranslateSize): void {
  for (const key of ['width', 'height'] as const) {
    const value = size?.[key];
    if (!Number.isInteger(value) || value < 1)
      throw invalidParameter(`size.${key}`, 'an integer >= 1', value);
  }
}
