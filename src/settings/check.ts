import { invalidParameter } from '../augmix/errors.js';
import type { Setting } from './table.js';

/**
 * The error for a bad value of a setting, or `undefined` when the value is valid: a `TypeError` for a value of
 * the wrong type, else a `RangeError`, naming the setting, what it takes and what it got.
 */
export function settingError(
  name: string,
  row: Setting<unknown>,
  value: unknown,
): RangeError | TypeError | undefined {
  if (row.type.accepts(value)) return undefined;
  return invalidParameter(name, row.type.expected, value, row.type.hasType(value) ? RangeError : TypeError);
}

/** The problems of every given value (undefined values are skipped), in table order: one message each. */
export function settingProblems(
  table: Readonly<Record<string, Setting<unknown>>>,
  values: Readonly<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  for (const [name, row] of Object.entries(table)) {
    const value = values[name];
    if (value === undefined) continue;
    const error = settingError(name, row, value);
    if (error !== undefined) problems.push(error.message);
  }
  return problems;
}

/** The defaults of a table's settings (settings without a default are left out). */
export function defaultsOf(table: Readonly<Record<string, Setting<unknown>>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([, row]) => row.default !== undefined)
      .map(([name, row]) => [name, row.default]),
  );
}

/** The default as help and the README show it. */
export function defaultText(row: Setting<unknown>): string {
  if (row.defaultText !== undefined) return row.defaultText;
  if (row.default === undefined) return 'none';
  return row.type.format(row.default);
}

/** The default of a setting that has one (a programming error otherwise). */
export function requiredDefault<T>(row: Setting<T>): T {
  if (row.default === undefined) throw new Error(`setting without a default: ${row.help}`);
  return row.default;
}
