import { writeSync } from 'node:fs';
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import {
  asHeader,
  asLine,
  MANIFEST_FORMAT,
  ManifestError,
  type ManifestHeader,
  type ManifestLine,
  serializeLine,
} from './manifest-lines.js';

/** A manifest read back from disk. */
export interface ManifestContents {
  /** The header, or `null` when the file is empty or holds only a torn header. */
  readonly header: ManifestHeader | null;
  /** Every complete entry line, in file order. */
  readonly lines: readonly ManifestLine[];
  /** Length in bytes of the complete lines (where a torn tail starts). */
  readonly validBytes: number;
  /** Whether the last line was torn (no newline, or not valid JSON) and is to be dropped. */
  readonly torn: boolean;
}

/**
 * Reads a manifest. The last line is torn when it has no newline or is not a valid line (a write cut short
 * by a kill or a crash); it is reported, not returned. Any other bad line throws a {@link ManifestError}:
 * lines are written in one write each, so only the last one can be torn.
 */
export async function readManifest(file: string): Promise<ManifestContents> {
  const bytes = await readFile(file);
  const lines: ManifestLine[] = [];
  let header: ManifestHeader | null = null;
  let start = 0;
  let lineNumber = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    lineNumber += 1;
    const last = end === -1 || end === bytes.length - 1;
    const parsed = end === -1 ? null : parseLine(bytes.subarray(start, end).toString('utf8'));
    if (parsed === null) {
      if (last) return { header, lines, validBytes: start, torn: true };
      throw new ManifestError(`${file}: line ${lineNumber} is not a manifest line`);
    }
    if (lineNumber === 1) {
      header = asHeader(parsed);
      if (header === null) {
        if (last) return { header, lines, validBytes: start, torn: true };
        const old = (parsed as { manifest?: unknown } | null)?.manifest;
        if (typeof old === 'string' && old.startsWith('augmix-pipeline/manifest/')) {
          throw new ManifestError(
            `${file}: written by another version of augmix (${old}; this one writes ${MANIFEST_FORMAT}, one ` +
              'provenance document per input instead of a sidecar per variant): use a new output folder (or --manifest)',
          );
        }
        throw new ManifestError(`${file}: line 1 is not an augmix manifest header`);
      }
    } else {
      const line = asLine(parsed);
      if (line === null) {
        if (last) return { header, lines, validBytes: start, torn: true };
        throw new ManifestError(`${file}: line ${lineNumber} is not a manifest line`);
      }
      lines.push(line);
    }
    start = end + 1;
  }
  return { header, lines, validBytes: start, torn: false };
}

/** Cuts a torn tail off a manifest so appends start on a fresh line. */
export async function dropTornTail(file: string, contents: ManifestContents): Promise<void> {
  if (contents.torn) await truncate(file, contents.validBytes);
}

/**
 * Appends lines to a manifest, whole lines per write (so a kill leaves at most one torn line, the last).
 * Each append is one blocking `write` on the main thread, in call order, so lines never interleave: the
 * main thread has nothing else to do meanwhile, and a write of a few kilobytes is cheaper than a hand-off
 * to the libuv pool, which the workers' sharp calls keep busy (measured: ~2% of a small-image run).
 */
export class ManifestWriter {
  private readonly handle: FileHandle;

  private constructor(handle: FileHandle) {
    this.handle = handle;
  }

  /** Opens `file` for appending (creating it). */
  static async open(file: string): Promise<ManifestWriter> {
    return new ManifestWriter(await open(file, 'a'));
  }

  /** Appends one line; resolves once it has been written. Rejects (e.g. ENOSPC) when the write fails. */
  append(line: ManifestHeader | ManifestLine): Promise<void> {
    return this.appendAll([line]);
  }

  /**
   * Appends whole lines in a single write (the lines of one input): a kill tears at most the last line, and
   * the lines before it are whole. Resolves once written; rejects (e.g. ENOSPC) when the write fails.
   */
  appendAll(lines: readonly (ManifestHeader | ManifestLine)[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const bytes = Buffer.from(lines.map(serializeLine).join(''), 'utf8');
    try {
      const bytesWritten = writeSync(this.handle.fd, bytes, 0, bytes.length);
      if (bytesWritten !== bytes.length) {
        throw Object.assign(
          new Error(`manifest write cut short (${bytesWritten} of ${bytes.length} bytes)`),
          {
            code: 'ENOSPC',
          },
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  /** Closes the file (every append has already been written). */
  async close(): Promise<void> {
    await this.handle.close();
  }
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
