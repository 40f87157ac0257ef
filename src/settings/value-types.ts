import { describe } from '../augmix/errors.js';

/**
 * The kind of value a setting takes: how to check it, how to read it from text (a command-line flag, a CDK
 * `-c key=value`, an environment variable), and how help and docs describe it.
 */
export interface ValueType<T> {
  /** What a valid value is, as messages, help and the README say it: `an integer in 1..10`. */
  readonly expected: string;
  /** True when `value` is a valid value. */
  readonly accepts: (value: unknown) => value is T;
  /** True when `value` has the right JavaScript type (a wrong type is a `TypeError`, else a `RangeError`). */
  readonly hasType: (value: unknown) => boolean;
  /** Reads a value from text; `undefined` when the text is not one (the range is checked by `accepts`). */
  readonly parse: (text: string) => T | undefined;
  /** Renders a value for help and docs. */
  format(value: T): string;
  /** A command-line switch without a value (`--jsd`): booleans. */
  readonly isSwitch: boolean;
  /** Placeholder of the value in help (`N`, `LIST`). */
  readonly placeholder: string;
}

const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** An integer in `min..max`; `extra` adds single allowed values outside the range (`-1`). */
export function integer(
  min: number,
  max: number,
  options: { expected?: string; extra?: readonly number[]; placeholder?: string } = {},
): ValueType<number> {
  const { extra = [], placeholder = 'N' } = options;
  const expected =
    options.expected ??
    (max === Number.MAX_SAFE_INTEGER ? `a safe integer >= ${min}` : `an integer in ${min}..${max}`);
  return {
    expected,
    accepts: (value): value is number =>
      typeof value === 'number' &&
      Number.isSafeInteger(value) &&
      ((value >= min && value <= max) || extra.includes(value)),
    hasType: (value) => typeof value === 'number',
    parse: (text) => (DECIMAL_INTEGER.test(text.trim()) ? Number(text.trim()) : undefined),
    format: String,
    isSwitch: false,
    placeholder,
  };
}

/** A finite number greater than `above`. */
export function numberAbove(above: number, placeholder = 'X'): ValueType<number> {
  return {
    expected: `a finite number > ${above}`,
    accepts: (value): value is number => typeof value === 'number' && Number.isFinite(value) && value > above,
    hasType: (value) => typeof value === 'number',
    parse: (text) => (DECIMAL_NUMBER.test(text.trim()) ? Number(text.trim()) : undefined),
    format: String,
    isSwitch: false,
    placeholder,
  };
}

/** `true` or `false` (text: `true`/`false`/`1`/`0`). */
export function boolean(): ValueType<boolean> {
  return {
    expected: 'a boolean',
    accepts: (value): value is boolean => typeof value === 'boolean',
    hasType: (value) => typeof value === 'boolean',
    parse: (text) => {
      const word = text.trim().toLowerCase();
      if (word === 'true' || word === '1') return true;
      if (word === 'false' || word === '0') return false;
      return undefined;
    },
    format: String,
    isSwitch: true,
    placeholder: '',
  };
}

/** One of a fixed list of strings or numbers. */
export function oneOf<const T extends string | number>(
  choices: readonly T[],
  options: { expected?: string; placeholder?: string } = {},
): ValueType<T> {
  const numeric = typeof choices[0] === 'number';
  const listed = choices.map((choice) => describe(choice));
  const expected =
    options.expected ??
    (listed.length === 1 ? listed[0]! : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`);
  return {
    expected,
    accepts: (value): value is T => (choices as readonly unknown[]).includes(value),
    hasType: (value) => typeof value === (numeric ? 'number' : 'string'),
    parse: (text) => {
      const value = numeric ? Number(text.trim()) : text.trim();
      return (choices as readonly unknown[]).includes(value) ? (value as T) : undefined;
    },
    format: String,
    isSwitch: false,
    placeholder: options.placeholder ?? (numeric ? 'N' : choices.join('|')),
  };
}

/** `null` (text: `none` or `null`) or a value of `inner`. */
export function orNone<T>(inner: ValueType<T>): ValueType<T | null> {
  return {
    expected: `null or ${inner.expected}`,
    accepts: (value): value is T | null => value === null || inner.accepts(value),
    hasType: (value) => value === null || inner.hasType(value),
    parse: (text) => (/^(none|null)$/i.test(text.trim()) ? null : inner.parse(text)),
    format: (value) => (value === null ? 'none' : inner.format(value)),
    isSwitch: false,
    placeholder: inner.placeholder,
  };
}

/** A string that `test` accepts. */
export function text(
  expected: string,
  test: (value: string) => boolean,
  placeholder = 'TEXT',
): ValueType<string> {
  return {
    expected,
    accepts: (value): value is string => typeof value === 'string' && test(value),
    hasType: (value) => typeof value === 'string',
    parse: (raw) => raw,
    format: (value) => (value === '' ? "''" : value),
    isSwitch: false,
    placeholder,
  };
}

/** A non-empty list of strings that `test` accepts (text: comma-separated, or a JSON array). */
export function textList(
  expected: string,
  test: (value: string) => boolean,
  placeholder = 'LIST',
): ValueType<readonly string[]> {
  return {
    expected,
    accepts: (value): value is readonly string[] =>
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => typeof item === 'string' && test(item)),
    hasType: (value) => Array.isArray(value),
    parse: (raw) => {
      const trimmed = raw.trim();
      if (trimmed.startsWith('[')) {
        try {
          const json: unknown = JSON.parse(trimmed);
          return Array.isArray(json) && json.every((item) => typeof item === 'string') ? json : undefined;
        } catch {
          return undefined;
        }
      }
      return trimmed
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    },
    format: (value) => value.join(','),
    isSwitch: false,
    placeholder,
  };
}
