import { hash } from 'node:crypto';
import { invalidParameter } from './errors.js';

/** Prefix that versions the seed rule; changing the rule means changing this. */
export const SEED_RULE_VERSION = 'augmix-pipeline/seed/v1';

/**
 * The one seed rule, used by every front end (CLI and Lambda workers).
 *
 * A variant's seed is the first four bytes (big-endian) of
 * `SHA-256("augmix-pipeline/seed/v1" NUL userSeed NUL relativeKey NUL variantIndex)`, with the numbers written
 * in decimal and the key in UTF-8, as given (`/` separators, no leading `/`). The result, an integer in
 * [0, 2^32), seeds numpy's legacy `RandomState`, so
 * `replay.py sample --seed <seed>` draws the same record. In Python:
 * `int.from_bytes(hashlib.sha256(f"augmix-pipeline/seed/v1\0{s}\0{key}\0{i}".encode()).digest()[:4], "big")`.
 *
 * @param userSeed the run's seed (an integer >= 0)
 * @param relativeKey the input's key relative to the input root or prefix, e.g. `train/cat/001.jpg`
 * @param variantIndex the variant's index (0-based)
 */
export function variantSeed(userSeed: number, relativeKey: string, variantIndex: number): number {
  if (!Number.isSafeInteger(userSeed) || userSeed < 0) {
    throw invalidParameter('seed', 'a safe integer >= 0', userSeed);
  }
  assertRelativeKey(relativeKey);
  if (!Number.isSafeInteger(variantIndex) || variantIndex < 0) {
    throw invalidParameter('variantIndex', 'an integer >= 0', variantIndex);
  }
  // the first four bytes of the digest are its first 8 hex digits
  const digest = hash('sha256', `${SEED_RULE_VERSION}\0${userSeed}\0${relativeKey}\0${variantIndex}`, 'hex');
  return Number.parseInt(digest.slice(0, 8), 16);
}

/** Throws unless `key` is a relative key: non-empty, `/`-separated, no leading `/`, no `.`/`..` segment. */
export function assertRelativeKey(key: string, name = 'relativeKey'): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidParameter(name, 'a non-empty string', key, TypeError);
  }
  if (key.startsWith('/') || key.includes('\\') || key.includes('\0')) {
    throw invalidParameter(name, 'a relative key with "/" separators (no leading "/", "\\" or NUL)', key);
  }
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw invalidParameter(name, 'a key without empty, "." or ".." segments', key);
  }
}
