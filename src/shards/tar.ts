/**
 * A deterministic POSIX ustar writer for in-memory archives (no I/O): every header carries the same mode,
 * owner, group and modification time, so the same members give the same bytes.
 *
 * Format (POSIX.1-1988 ustar, as extended by POSIX.1-2001 pax; see docs/webdataset-shards.md): each member is
 * a 512-byte header and its data padded to a multiple of 512 bytes; the archive ends with two zero blocks.
 * A name that does not fit the header's 100-byte `name` field is split at a `/` into `prefix` (at most 155
 * bytes) and `name`; a name that cannot be split so is written in a pax extended header (type `x`, record
 * `path=<name>`) before the member, whose own ustar name is then the name's first 100 bytes of a safe form.
 */

/** One file of an archive. */
export interface TarMember {
  /** Path inside the archive, `/`-separated, UTF-8; no leading `/`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Header fields every member gets (the reproducible-archive recipe: fixed time, owner and mode). */
export const TAR_DEFAULTS = Object.freeze({
  /** Modification time, seconds since 1970-01-01 (0: the epoch). */
  mtime: 0,
  uid: 0,
  gid: 0,
  uname: '',
  gname: '',
  mode: 0o644,
});

export const BLOCK = 512;
const NAME_BYTES = 100;
const PREFIX_BYTES = 155;
/** Largest member a ustar size field (11 octal digits) can describe. */
const MAX_SIZE = 8 ** 11 - 1;

const encoder = new TextEncoder();

/** Where a member's data lies in an archive. */
export interface TarEntry {
  readonly name: string;
  /** Offset of the member's data (after its header(s)). */
  readonly offset: number;
  readonly size: number;
}

/** An archive's bytes and where each member's data lies. */
export interface TarArchive {
  readonly bytes: Uint8Array;
  readonly entries: readonly TarEntry[];
}

/** The archive holding `members` in the order given. */
export function tarArchive(members: readonly TarMember[]): TarArchive {
  const parts: Uint8Array[] = [];
  const entries: TarEntry[] = [];
  let offset = 0;
  for (const member of members) {
    for (const header of memberHeaders(member)) {
      parts.push(header);
      offset += header.byteLength;
    }
    entries.push({ name: member.name, offset, size: member.bytes.byteLength });
    const pad = padding(member.bytes.byteLength);
    parts.push(member.bytes, pad);
    offset += member.bytes.byteLength + pad.byteLength;
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return { bytes: concat(parts), entries };
}

/** The header block(s) of one member: a pax header with its record when the name needs one, then the ustar header. */
function memberHeaders(member: TarMember): Uint8Array[] {
  const { name, bytes } = member;
  if (typeof name !== 'string' || name.length === 0 || name.startsWith('/') || name.includes('\0')) {
    throw new RangeError(
      `Expected a tar member name that is non-empty, relative and without NUL but received ${JSON.stringify(name)}`,
    );
  }
  if (bytes.byteLength > MAX_SIZE) {
    throw new RangeError(
      `Expected tar member ${JSON.stringify(name)} to be at most ${MAX_SIZE} bytes but it is ${bytes.byteLength}`,
    );
  }
  const split = splitName(name);
  if (split !== null) return [ustarHeader({ ...split, size: bytes.byteLength, type: '0' })];
  const record = paxRecord('path', name);
  const stand = safeAscii(name).slice(0, NAME_BYTES);
  return [
    ustarHeader({
      name: safeAscii(`PaxHeader/${name}`).slice(0, NAME_BYTES),
      prefix: '',
      size: record.byteLength,
      type: 'x',
    }),
    record,
    padding(record.byteLength),
    ustarHeader({ name: stand, prefix: '', size: bytes.byteLength, type: '0' }),
  ];
}

/** `{ prefix, name }` for the ustar fields, or `null` when the name needs a pax header. */
export function splitName(name: string): { prefix: string; name: string } | null {
  const bytes = encoder.encode(name);
  if (bytes.byteLength <= NAME_BYTES) return { prefix: '', name };
  // the split must leave at most 100 bytes after a '/' and at most 155 before it; try the leftmost such '/'
  for (let i = 0; i < bytes.byteLength; i += 1) {
    if (bytes[i] !== 0x2f) continue;
    if (i > PREFIX_BYTES) return null;
    if (bytes.byteLength - i - 1 <= NAME_BYTES && i > 0 && i < bytes.byteLength - 1) {
      const decoder = new TextDecoder();
      return { prefix: decoder.decode(bytes.subarray(0, i)), name: decoder.decode(bytes.subarray(i + 1)) };
    }
  }
  return null;
}

/** A pax record `"<len> key=value\n"` whose decimal length counts itself. */
function paxRecord(key: string, value: string): Uint8Array {
  const body = encoder.encode(` ${key}=${value}\n`);
  let length = body.byteLength + 1;
  while (String(length).length + body.byteLength !== length) length = String(length).length + body.byteLength;
  return concat([encoder.encode(String(length)), body]);
}

interface HeaderFields {
  readonly name: string;
  readonly prefix: string;
  readonly size: number;
  /** `0`: a regular file; `x`: a pax extended header for the next member. */
  readonly type: '0' | 'x';
}

function ustarHeader(fields: HeaderFields): Uint8Array {
  const header = new Uint8Array(BLOCK);
  writeText(header, 0, NAME_BYTES, fields.name);
  writeOctal(header, 100, 8, TAR_DEFAULTS.mode);
  writeOctal(header, 108, 8, TAR_DEFAULTS.uid);
  writeOctal(header, 116, 8, TAR_DEFAULTS.gid);
  writeOctal(header, 124, 12, fields.size);
  writeOctal(header, 136, 12, TAR_DEFAULTS.mtime);
  header.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  header[156] = fields.type.charCodeAt(0);
  writeText(header, 257, 6, 'ustar\0');
  writeText(header, 263, 2, '00');
  writeText(header, 265, 32, TAR_DEFAULTS.uname);
  writeText(header, 297, 32, TAR_DEFAULTS.gname);
  writeOctal(header, 329, 8, 0);
  writeOctal(header, 337, 8, 0);
  writeText(header, 345, PREFIX_BYTES, fields.prefix);
  let sum = 0;
  for (const byte of header) sum += byte;
  // six octal digits, NUL, space: the form GNU tar and Python's tarfile write
  writeText(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

function writeText(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.byteLength > length) {
    throw new RangeError(
      `Expected a tar header field of at most ${length} bytes but received ${JSON.stringify(text)}`,
    );
  }
  header.set(bytes, offset);
}

/** `length - 1` octal digits, zero-padded, then NUL. */
function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeText(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function padding(size: number): Uint8Array {
  return new Uint8Array((BLOCK - (size % BLOCK)) % BLOCK);
}

/** A printable-ASCII stand-in for a name (non-ASCII bytes as `_`), for fields a pax record overrides. */
function safeAscii(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_');
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
