import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertDecodeOptions } from '../codec/decode.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS } from '../codec/limits.js';
import { asUsage, choiceOption, FileError, integerOption, type OptionValues } from './args.js';
import { UsageError } from './exit.js';

/** The decode and encode options shared by `op` and `replay` (`--orientation`, `--size`, `--quality`). */
export interface ImageOptions {
  readonly orientation: 'auto' | 'raw';
  readonly size: number | null;
  readonly quality: number | null;
}

/** Reads and validates `--orientation` (default auto), `--size` and `--quality`; bad values are usage errors. */
export function imageOptions(values: OptionValues): ImageOptions {
  const orientation = choiceOption('orientation', values.orientation, ['auto', 'raw'] as const) ?? 'auto';
  const size = integerOption('size', values.size) ?? null;
  const quality = integerOption('quality', values.quality) ?? null;
  asUsage(() =>
    assertDecodeOptions({ orientation, size, maxPixels: DEFAULT_MAX_PIXELS, maxBytes: DEFAULT_MAX_BYTES }),
  );
  if (quality !== null && (quality < 1 || quality > 100)) {
    throw new UsageError(`--quality expects an integer in 1..100, got ${quality}`);
  }
  return { orientation, size, quality };
}

/** Reads a whole file; a missing or unreadable file is a {@link FileError} naming it. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new FileError(path, `cannot read: ${systemReason(error)}`, { cause: error });
  }
}

/** Writes a file, creating its folder; failures are {@link FileError}s naming it. */
export async function writeOutputFile(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  } catch (error) {
    throw new FileError(path, `cannot write: ${systemReason(error)}`, { cause: error });
  }
}

/** Reads and parses a JSON file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readInputFile(path));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new FileError(path, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EISDIR: 'is a folder',
    ENOTDIR: 'a parent is not a folder',
  };
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}
