/**
 * Builds the error for a bad argument: it names the parameter, what was expected and what was received.
 * Out-of-domain values are `RangeError`s, values of the wrong kind `TypeError`s.
 */
export function invalidParameter(
  name: string,
  expected: string,
  received: unknown,
  ErrorClass: RangeErrorConstructor | TypeErrorConstructor = RangeError,
): RangeError | TypeError {
  return new ErrorClass(`Expected ${name} to be ${expected} but received ${describe(received)}`);
}

/** A short, unambiguous rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const ctor = (value as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : JSON.stringify(value);
}
