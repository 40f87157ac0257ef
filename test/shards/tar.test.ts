import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK, splitName, TAR_DEFAULTS, tarArchive } from '../../src/shards/tar.js';
import { readTar, TarFormatError } from '../../src/shards/tar-read.js';

const encoder = new TextEncoder();

function member(name: string, text: string) {
  return { name, bytes: encoder.encode(text) };
}

const longFolder = `${'folder-'.repeat(20)}x`; // 141 bytes
const members = [
  member('a.aug0.jpg', 'first'),
  member('empty.json', ''),
  member(`${'n'.repeat(100)}`, 'exactly 100 bytes of name'),
  member(`${longFolder}/${'f'.repeat(90)}.aug0.png`, 'split into prefix and name'),
  member(`${'d'.repeat(200)}/x.json`, 'prefix too long: pax path'),
  member(`dir/${'g'.repeat(120)}.json`, 'last segment too long: pax path'),
  member('données/çà/日本語.aug1.webp', 'utf-8 name'),
  member('block.bin', 'x'.repeat(BLOCK)),
];

describe('tarArchive', () => {
  it('reads back every member, name and byte, with the fixed header fields', () => {
    const archive = tarArchive(members);
    const read = readTar(archive.bytes);
    expect(read.map((m) => m.name)).toEqual(members.map((m) => m.name));
    read.forEach((m, i) => {
      expect(Buffer.from(m.bytes).equals(Buffer.from(members[i]?.bytes ?? []))).toBe(true);
      expect(m).toMatchObject({ mode: TAR_DEFAULTS.mode, uid: 0, gid: 0, mtime: 0, uname: '', gname: '' });
    });
    expect(archive.bytes.byteLength % BLOCK).toBe(0);
  });

  it('reports where each member’s data lies', () => {
    const archive = tarArchive(members);
    for (const [i, entry] of archive.entries.entries()) {
      const data = archive.bytes.subarray(entry.offset, entry.offset + entry.size);
      expect(Buffer.from(data).equals(Buffer.from(members[i]?.bytes ?? []))).toBe(true);
      expect(entry.offset % BLOCK).toBe(0);
    }
  });

  it('gives the same bytes for the same members', () => {
    expect(Buffer.from(tarArchive(members).bytes).equals(Buffer.from(tarArchive(members).bytes))).toBe(true);
  });

  it('is read by GNU tar with the same names, contents, owner and time', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'augmix-tar-'));
    try {
      const file = path.join(dir, 'shard.tar');
      writeFileSync(file, tarArchive(members).bytes);
      const listing = execFileSync('tar', ['--list', '--file', file], { encoding: 'utf8' });
      expect(listing.trimEnd().split('\n')).toEqual(members.map((m) => m.name));
      const verbose = execFileSync('tar', ['--list', '--verbose', '--numeric-owner', '--file', file], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      for (const line of verbose.trimEnd().split('\n'))
        expect(line).toMatch(/^-rw-r--r-- 0\/0 +\d+ 1970-01-01 00:00 /);
      const out = path.join(dir, 'out');
      execFileSync('mkdir', [out]);
      execFileSync('tar', ['--extract', '--file', file, '--directory', out]);
      for (const m of members)
        expect(readFileSync(path.join(out, m.name), 'utf8')).toBe(new TextDecoder().decode(m.bytes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that are empty, absolute or hold NUL', () => {
    for (const name of ['', '/abs.jpg', 'a\0b']) {
      expect(() => tarArchive([member(name, 'x')])).toThrow(/tar member name/);
    }
  });
});

describe('splitName', () => {
  it('keeps names of up to 100 bytes whole, splits longer ones at a slash, else asks for pax', () => {
    expect(splitName('n'.repeat(100))).toEqual({ prefix: '', name: 'n'.repeat(100) });
    expect(splitName(`${'p'.repeat(155)}/${'n'.repeat(100)}`)).toEqual({
      prefix: 'p'.repeat(155),
      name: 'n'.repeat(100),
    });
    expect(splitName(`${'p'.repeat(156)}/${'n'.repeat(10)}`)).toBeNull();
    expect(splitName(`p/${'n'.repeat(101)}`)).toBeNull();
    expect(splitName('n'.repeat(101))).toBeNull();
  });
});

describe('readTar', () => {
  it('refuses a corrupted header checksum and a missing end', () => {
    const bytes = tarArchive([member('a.json', '{}')]).bytes;
    const corrupt = bytes.slice();
    corrupt[0] = 0x62;
    expect(() => readTar(corrupt)).toThrow(TarFormatError);
    expect(() => readTar(bytes.subarray(0, bytes.byteLength - BLOCK * 2))).toThrow(/zero blocks/);
  });
});
