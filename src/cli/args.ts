import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError } from '../codec/input-error.js';
import { EXIT, UsageError } from './exit.js';
import { didYouMean } from './suggest.js';

/** Options in `node:util` `parseArgs` form. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Values parsed for a set of options (strings and booleans; numbers are parsed by the command). */
export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** The command's name, as typed after `augmix` (used in messages). */
  readonly name: string;
  /** The full `--help` text. */
  readonly help: string;
  /** The options (`--help`/`-h` is added). */
  readonly options: OptionSpecs;
  /** Names of the positional arguments, in order; all are required. */
  readonly positionals: readonly string[];
  /** Other names options are accepted under (`mixture-width` → `width`), without `--`. */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface ParsedArgs {
  readonly values: OptionValues;
  readonly positionals: readonly string[];
  /** `--help` or `-h` was given. */
  readonly help: boolean;
}

/**
 * A file the command could not use (missing, unreadable, not valid JSON, not matching the record): printed as
 * `augmix <name>: <file>: <reason>`, exit 1.
 */
export class FileError extends Error {
  override readonly name = 'FileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
  }
}

/** A token that is a negative number (`-12`, `-0.5`, `-.5`, `-1e3`), not an option. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;
/** Marks a negative number taken as a positional while `parseArgs` runs (a NUL never starts an option). */
const SENTINEL = '\u0000';

/**
 * Parses a command's arguments with `node:util` `parseArgs` (strict: unknown options are errors) and checks the
 * number of positionals. Negative numbers are values, never options: `augmix op rotate -12 in.png out.png`
 * takes `-12` as a positional and `--alpha -1` (or `--alpha=-1`) gives `--alpha` the value `-1`.
 * (`parseArgs`' `allowNegative` is about `--no-flag` booleans, not negative numbers.)
 *
 * @throws UsageError with a message naming the problem
 */
export function parseCommandArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const { values, positionals, help } = parseOptions(argv, spec.options, spec.aliases);
  if (!help) {
    const expected = spec.positionals.length;
    if (positionals.length < expected) {
      throw new UsageError(
        `missing ${spec.positionals
          .slice(positionals.length)
          .map((p) => `<${p}>`)
          .join(' ')}`,
      );
    }
    if (positionals.length > expected) {
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[expected])}`);
    }
  }
  return { values, positionals, help };
}

/**
 * Parses options as {@link parseCommandArgs} does (our wording of errors, "did you mean", aliases, negative
 * numbers as values) and leaves the positionals to the caller, for commands whose positionals are optional or
 * depend on a subcommand (`backfill`, `estimate`).
 *
 * @throws UsageError with a message naming the problem
 */
export function parseOptions(
  argv: readonly string[],
  commandOptions: OptionSpecs,
  aliases: Readonly<Record<string, string>> = {},
): ParsedArgs {
  const options: OptionSpecs = { ...commandOptions, help: { type: 'boolean', short: 'h' } };
  const args = protectNegativeNumbers(resolveLongOptions(argv, options, aliases), options);
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as {
      values: OptionValues;
      positionals: string[];
    };
  } catch (error) {
    throw new UsageError(parseArgsProblem(error));
  }
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([key, value]) => [
      key,
      typeof value === 'string' ? restore(value) : value,
    ]),
  );
  return { values, positionals: parsed.positionals.map(restore), help: values.help === true };
}

/**
 * Runs a command body with the conventions every `augmix` command shares: `--help` prints the help (exit 0);
 * a {@link UsageError} prints `augmix <name>: <message>` and a pointer to `--help` (exit 2); an
 * {@link InputError} prints `augmix <name>: <input>: <reason> [<code>]` and a {@link FileError}
 * `augmix <name>: <file>: <reason>` (exit 1); anything else prints `augmix <name>: <message>` (exit 3; the
 * stack too when `AUGMIX_DEBUG` is set).
 */
export async function runCommand(
  argv: readonly string[],
  spec: CommandSpec,
  body: (args: ParsedArgs) => Promise<number>,
): Promise<number> {
  try {
    const args = parseCommandArgs(argv, spec);
    if (args.help) {
      console.log(spec.help);
      return EXIT.ok;
    }
    return await body(args);
  } catch (error) {
    return reportError(spec.name, error);
  }
}

/** Prints `error` in the shared format and returns its exit code (see {@link runCommand}). */
export function reportError(command: string, error: unknown): number {
  const prefix = `augmix ${command}`;
  if (error instanceof UsageError) {
    console.error(`${prefix}: ${error.message}\n(${prefix} --help for usage)`);
    return EXIT.usage;
  }
  if (error instanceof InputError) {
    console.error(`${prefix}: ${error.message} [${error.code}]`);
    return EXIT.someFailed;
  }
  if (error instanceof FileError) {
    console.error(`${prefix}: ${error.message}`);
    return EXIT.someFailed;
  }
  const message = error instanceof Error ? error.message : String(error);
  const debug = process.env.AUGMIX_DEBUG !== undefined && process.env.AUGMIX_DEBUG !== '';
  console.error(`${prefix}: ${debug && error instanceof Error ? (error.stack ?? message) : message}`);
  return EXIT.fatal;
}

/**
 * Runs `validate` and turns the `RangeError` / `TypeError` it throws for a bad user value into a
 * {@link UsageError} (exit 2).
 */
export function asUsage<T>(validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}

/** Parses a whole decimal integer option (`--seed 12`); `undefined` stays `undefined`. */
export function integerOption(name: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text.trim())) {
    throw new UsageError(`--${name} expects an integer, got ${JSON.stringify(text)}`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`--${name} ${text} is out of range`);
  return value;
}

/** Parses a finite number (`-12`, `0.5`, `1e-3`); the `what` names it in the error. */
export function numberValue(what: string, text: string | boolean | undefined): number {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value) || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) {
    throw new UsageError(`${what} expects a finite number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses a number option; `undefined` stays `undefined`. */
export function numberOption(name: string, text: string | boolean | undefined): number | undefined {
  return text === undefined ? undefined : numberValue(`--${name}`, text);
}

/** Checks that a string option is one of `choices`. */
export function choiceOption<T extends string>(
  name: string,
  text: string | boolean | undefined,
  choices: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || !(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} expects one of ${choices.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as T;
}

function protectNegativeNumbers(argv: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!NEGATIVE_NUMBER.test(token)) {
      out.push(token);
      continue;
    }
    const previous = out.at(-1);
    const option = previous === undefined ? undefined : takesValue(previous, options);
    if (option !== undefined) out[out.length - 1] = `--${option}=${token}`;
    else out.push(`${SENTINEL}${token}`);
  }
  return out;
}

/** The long name of `token` when it is an option that expects a value and has none attached. */
function takesValue(token: string, options: OptionSpecs): string | undefined {
  if (token.startsWith('--') && !token.includes('=')) {
    const name = token.slice(2);
    return options[name]?.type === 'string' ? name : undefined;
  }
  if (/^-[^-]$/.test(token)) {
    const entry = Object.entries(options).find(([, spec]) => spec.short === token[1]);
    return entry?.[1].type === 'string' ? entry[0] : undefined;
  }
  return undefined;
}

function restore(value: string): string {
  return value.startsWith(SENTINEL) ? value.slice(1) : value;
}

/**
 * Rewrites long options given under an alias to their own name (`--mixture-width=3` → `--width=3`) and
 * rejects unknown long options, suggesting the closest known one. Stops at `--`.
 */
function resolveLongOptions(
  args: readonly string[],
  options: OptionSpecs,
  aliases: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!token.startsWith('--')) {
      out.push(token);
      continue;
    }
    const equals = token.indexOf('=');
    const given = token.slice(2, equals < 0 ? undefined : equals);
    const name = aliases[given] ?? given;
    if (options[name] === undefined) {
      const known = [...Object.keys(options), ...Object.keys(aliases)];
      throw new UsageError(`unknown option --${given}${didYouMean(given, known, (n) => `--${n}`)}`);
    }
    out.push(`--${name}${equals < 0 ? '' : token.slice(equals)}`);
  }
  return out;
}

/** Our wording of a `parseArgs` error (its own messages quote options unevenly and name internals). */
function parseArgsProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  // Long options were checked (with suggestions) before parsing: this is an unknown short one.
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return /does not take an argument/.test(message)
      ? `${option} takes no value`
      : `${option} expects a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(message)?.[1];
    return `unexpected argument ${JSON.stringify(restore(argument ?? ''))}`;
  }
  return message;
}
