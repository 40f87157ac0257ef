import { describe, invalidParameter } from './errors.js';
import { reachableRange, SIGN_DRAWS, type TranslateSize } from './levels.js';
import { ALL_OPS, DEFAULT_OPS, EXTRA_OPS, INT_OPS, NULL_OPS, type OpName } from './op-names.js';
import type { DecodeSettings, OpStep, ProvenanceRecord } from './record.js';

/** Options of {@link parseRecord}. */
export interface ParseRecordOptions {
  /**
   * Receives one message per warning: unknown keys (ignored), and values the official sampler could not
   * have produced (m outside [0, 1], weights that are not a probability vector, depths outside 1..3,
   * severity outside 1..10, unreachable op values).
   * @default no warnings are reported
   */
  readonly warn?: (message: string) => void;
  /**
   * Size of the image the record will be replayed on; enables the translate reachability warnings
   * (translations scale with W/3 and H/3).
   * @default translate values are not checked
   */
  readonly imageSize?: TranslateSize;
}

/** The keys of a version-1 record (docs/augmix-semantics.md, section 4). */
export const RECORD_KEYS = ['version', 'width', 'severity', 'allOps', 'weights', 'm', 'chains'] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set([...RECORD_KEYS, 'decode']);
const DECODE_KEYS = ['orientation', 'size', 'colour', 'width', 'height'] as const;
const EXTRA: ReadonlySet<string> = new Set(EXTRA_OPS);

type Json = Record<string, unknown>;

/**
 * Validates a parsed provenance record (version 1, docs/augmix-semantics.md section 4) with the rules of the
 * reference harness's record checks (section 5 there), plus our optional `decode` object, and returns a clean copy holding only the known keys.
 *
 * Errors name the path of the offending value (e.g. `chains[1][0].value`), what was expected and what was
 * received. Unknown top-level (and `decode`) keys are ignored and reported through `options.warn`, as the
 * harness does. One deliberate difference: `severity` must be a finite number (the harness only warns).
 *
 * @param json the record, already parsed from JSON
 * @throws TypeError for values of the wrong kind, RangeError for values out of range
 */
export function parseRecord(json: unknown, options: ParseRecordOptions = {}): ProvenanceRecord {
  const { warn } = options;
  if (!isObject(json)) throw invalidParameter('record', 'a JSON object', json, TypeError);
  const missing = RECORD_KEYS.filter((key) => !(key in json));
  if (missing.length > 0) {
    throw new TypeError(
      `Expected record to have the keys ${RECORD_KEYS.join(', ')} but it lacks ${missing.join(', ')}`,
    );
  }
  const unknown = Object.keys(json).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0)
    warn?.(`ignoring unknown record keys ${unknown.map((k) => describe(k)).join(', ')}`);

  if (json.version !== 1) throw invalidParameter('version', '1', json.version);
  const width = json.width;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1) {
    throw invalidParameter(
      'width',
      'an integer >= 1',
      width,
      typeof width === 'number' ? RangeError : TypeError,
    );
  }
  const severity = finiteNumber('severity', json.severity);
  if (typeof json.allOps !== 'boolean') throw invalidParameter('allOps', 'a boolean', json.allOps, TypeError);
  const allOps = json.allOps;
  const weights = list('weights', json.weights, width, `a list of ${width} numbers (one per chain)`).map(
    (w, i) => finiteNumber(`weights[${i}]`, w),
  );
  const rawChains = list('chains', json.chains, width, `a list of ${width} chains`);
  const m = finiteNumber('m', json.m);
  const chains = rawChains.map((chain, i) => {
    if (!Array.isArray(chain)) throw invalidParameter(`chains[${i}]`, 'a list of steps', chain, TypeError);
    return chain.map((step, j) => parseStep(step, allOps, `chains[${i}][${j}]`));
  });
  const decode =
    json.decode === undefined || json.decode === null ? undefined : parseDecode(json.decode, warn);

  const record: ProvenanceRecord = decode
    ? { version: 1, width, severity, allOps, weights, m, chains, decode }
    : { version: 1, width, severity, allOps, weights, m, chains };
  if (warn) warnUnofficial(record, warn, options.imageSize);
  return record;
}

/** Validates one chain step (`{op, value}`, no other keys) like `record.py`'s `validate_step`. */
export function parseStep(step: unknown, allOps: boolean, path = 'step'): OpStep {
  if (!isObject(step) || !('op' in step) || !('value' in step)) {
    throw invalidParameter(path, "an object with 'op' and 'value'", step, TypeError);
  }
  const extra = Object.keys(step).filter((key) => key !== 'op' && key !== 'value');
  if (extra.length > 0) {
    throw new TypeError(
      `Expected ${path} to have only the keys op and value but it has ${extra.map((k) => describe(k)).join(', ')}`,
    );
  }
  const { op, value } = step;
  const allowed: readonly OpName[] = allOps ? ALL_OPS : DEFAULT_OPS;
  if (typeof op !== 'string' || !(allowed as readonly string[]).includes(op)) {
    const why = !allOps && EXTRA.has(op as string) ? ' (allOps is false)' : '';
    throw invalidParameter(`${path}.op`, `one of ${allowed.join(', ')}${why}`, op);
  }
  const name = op as OpName;
  const where = `${path}.value`;
  if (NULL_OPS.has(name)) {
    if (value !== null) throw invalidParameter(where, `null (${name} takes no value)`, value, TypeError);
    return { op: name, value: null };
  }
  if (typeof value !== 'number') {
    throw invalidParameter(
      where,
      `${INT_OPS.has(name) ? 'an integer' : 'a finite number'} for ${name}`,
      value,
      TypeError,
    );
  }
  if (INT_OPS.has(name)) {
    if (!Number.isInteger(value)) throw invalidParameter(where, `an integer for ${name}`, value);
    if (name === 'posterize' && (value < 0 || value > 8)) {
      throw invalidParameter(where, 'posterize bits in 0..8', value);
    }
  } else if (!Number.isFinite(value)) {
    throw invalidParameter(where, `a finite number for ${name}`, value);
  } else if (EXTRA.has(name) && value < 0) {
    throw invalidParameter(where, `an enhancement factor >= 0 for ${name}`, value);
  }
  return { op: name, value };
}

function parseDecode(value: unknown, warn: ParseRecordOptions['warn']): DecodeSettings {
  if (!isObject(value)) throw invalidParameter('decode', 'an object (or absent)', value, TypeError);
  const unknown = Object.keys(value).filter((key) => !(DECODE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0)
    warn?.(`ignoring unknown decode keys ${unknown.map((k) => describe(k)).join(', ')}`);
  const { orientation, size, colour, width, height } = value;
  if (orientation !== 'auto' && orientation !== 'raw') {
    throw invalidParameter('decode.orientation', '"auto" or "raw"', orientation);
  }
  if (size !== null && !(typeof size === 'number' && Number.isInteger(size) && size >= 1)) {
    throw invalidParameter('decode.size', 'null (no resize) or an integer >= 1', size);
  }
  if (colour !== 'srgb') throw invalidParameter('decode.colour', '"srgb"', colour);
  for (const [key, dimension] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!(typeof dimension === 'number' && Number.isInteger(dimension) && dimension >= 1)) {
      throw invalidParameter(`decode.${key}`, 'an integer >= 1', dimension);
    }
  }
  return { orientation, size, colour, width: width as number, height: height as number };
}

/** The harness's warnings for values the official sampler could not have produced. */
function warnUnofficial(
  record: ProvenanceRecord,
  warn: (message: string) => void,
  imageSize?: TranslateSize,
): void {
  const { m, weights, chains, severity } = record;
  if (!(m >= 0 && m <= 1)) warn(`m=${m} outside [0, 1]`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.some((w) => w < 0) || Math.abs(sum - 1) > 1e-5) {
    warn(`weights ${JSON.stringify(weights)} are not a probability vector (sum ${sum})`);
  }
  chains.forEach((chain, i) => {
    if (chain.length < 1 || chain.length > 3) {
      warn(`chains[${i}] has depth ${chain.length} (official default depth is 1..3)`);
    }
  });
  if (!(severity >= 1 && severity <= 10)) {
    warn(`severity ${severity} outside 1..10`);
    return;
  }
  chains.forEach((chain, i) => {
    chain.forEach(({ op, value }, j) => {
      if (value === null) return;
      if ((op === 'translate_x' || op === 'translate_y') && !imageSize) return;
      const range = reachableRange(op, severity, imageSize);
      if (!range) return;
      const [lo, hi] = range;
      const magnitude = op in SIGN_DRAWS ? Math.abs(value) : value;
      const ok =
        INT_OPS.has(op) || op === 'rotate'
          ? lo <= magnitude && magnitude <= hi && Number.isInteger(value)
          : lo - 1e-12 <= magnitude && magnitude <= hi + 1e-12;
      if (!ok) {
        warn(
          `chains[${i}][${j}]: ${op} value ${value} is not reachable by the official sampler at severity ${severity} (|value| range ${lo}..${hi})`,
        );
      }
    });
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(path: string, value: unknown): number {
  if (typeof value !== 'number') throw invalidParameter(path, 'a finite number', value, TypeError);
  if (!Number.isFinite(value)) throw invalidParameter(path, 'a finite number', value);
  return value;
}

function list(path: string, value: unknown, length: number, expected: string): unknown[] {
  if (!Array.isArray(value)) throw invalidParameter(path, expected, value, TypeError);
  if (value.length !== length)
    throw invalidParameter(`${path}.length`, `${length} (record.width)`, value.length);
  return value;
}
