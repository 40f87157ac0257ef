import { BLOCK } from './tar.js';

/** One regular file read back from an archive. */
export interface ReadTarMember {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly uname: string;
  readonly gname: string;
}

/** The archive is not a well-formed ustar archive; the message says where and why. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the regular files of a ustar archive (as {@link tarArchive} writes it: ustar headers, pax `path`
 * records, two zero blocks at the end), checking every header's checksum and magic. For verifying shards.
 */
export function readTar(archive: Uint8Array): ReadTarMember[] {
  const members: ReadTarMember[] = [];
  let offset = 0;
  let paxPath: string | null = null;
  for (;;) {
    if (offset + BLOCK > archive.byteLength) {
      throw new TarFormatError(`the archive ends at byte ${archive.byteLength} without its two zero blocks`);
    }
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) {
      const next = archive.subarray(offset + BLOCK, offset + 2 * BLOCK);
      if (next.byteLength !== BLOCK || !next.every((byte) => byte === 0)) {
        throw new TarFormatError(`a single zero block at byte ${offset}; expected two at the end`);
      }
      return members;
    }
    checkHeader(header, offset);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const data = archive.subarray(dataStart, dataStart + size);
    if (data.byteLength !== size) throw new TarFormatError(`member at byte ${offset} runs past the end`);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      paxPath = parsePax(data, dataStart).get('path') ?? null;
      continue;
    }
    if (type !== '0' && type !== '\0') {
      throw new TarFormatError(
        `member at byte ${dataStart - BLOCK} has type ${JSON.stringify(type)}; expected a file`,
      );
    }
    const prefix = text(header, 345, 155);
    const ustarName = text(header, 0, 100);
    members.push({
      name: paxPath ?? (prefix === '' ? ustarName : `${prefix}/${ustarName}`),
      bytes: data,
      mode: octal(header, 100, 8),
      uid: octal(header, 108, 8),
      gid: octal(header, 116, 8),
      mtime: octal(header, 136, 12),
      uname: text(header, 265, 32),
      gname: text(header, 297, 32),
    });
    paxPath = null;
  }
}

function checkHeader(header: Uint8Array, offset: number): void {
  if (text(header, 257, 6) !== 'ustar' || text(header, 263, 2) !== '00') {
    throw new TarFormatError(`header at byte ${offset} is not ustar (magic/version)`);
  }
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  const stored = octal(header, 148, 8);
  if (stored !== sum)
    throw new TarFormatError(`header at byte ${offset} has checksum ${stored}; computed ${sum}`);
}

function parsePax(data: Uint8Array, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.byteLength) {
    const space = data.indexOf(0x20, at);
    const length = Number(decoder.decode(data.subarray(at, space)));
    if (space === -1 || !Number.isInteger(length) || length <= 0) {
      throw new TarFormatError(`bad pax record at byte ${offset + at}`);
    }
    const record = decoder.decode(data.subarray(space + 1, at + length - 1));
    const equals = record.indexOf('=');
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

function text(header: Uint8Array, offset: number, length: number): string {
  const field = header.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function octal(header: Uint8Array, offset: number, length: number): number {
  const value = text(header, offset, length).trim();
  if (!/^[0-7]+$/.test(value))
    throw new TarFormatError(`non-octal header field ${JSON.stringify(value)} at byte ${offset}`);
  return Number.parseInt(value, 8);
}
