import { assertRelativeKey } from '../augmix/seed.js';

/**
 * The WebDataset sample key of an input: its relative key with the last path segment escaped so that it holds
 * no `.`. WebDataset groups a shard's members into samples by the member name up to the first `.` of its last
 * segment (the rest is the field name, e.g. `aug0.jpg`), so `cat/001.jpg` must not keep its dot.
 *
 * Rule (reversible): in the last segment, `%` becomes `%25` and `.` becomes `%2E`; folders are kept as they
 * are (a dot in a folder name does not split the key). `train/cat/001.jpg` → `train/cat/001%2Ejpg`;
 * `a/100%.v2.png` → `a/100%25%2Ev2%2Epng`. {@link relativeKeyOfSample} undoes it.
 */
export function sampleKey(relativeKey: string): string {
  assertRelativeKey(relativeKey);
  const slash = relativeKey.lastIndexOf('/');
  const base = relativeKey
    .slice(slash + 1)
    .replace(/%/g, '%25')
    .replace(/\./g, '%2E');
  return relativeKey.slice(0, slash + 1) + base;
}

/** The relative key a {@link sampleKey} was made from. */
export function relativeKeyOfSample(key: string): string {
  const slash = key.lastIndexOf('/');
  const base = key.slice(slash + 1);
  if (base.includes('.') || /%(?!25|2E)/.test(base)) {
    throw new RangeError(
      `Expected a sample key whose last segment has no "." and only %25 / %2E escapes but received ${JSON.stringify(key)}`,
    );
  }
  return (
    key.slice(0, slash + 1) + base.replace(/%(25|2E)/g, (_, code: string) => (code === '25' ? '%' : '.'))
  );
}
