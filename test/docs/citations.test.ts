import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Comments cite only what is in the repository (docs/ holds what they refer to) and name no person.

const ROOT = new URL('../..', import.meta.url).pathname;
const FOLDERS = ['src', 'lib', 'lambda', 'bin', 'test', 'scripts', 'bench'];
const SELF = 'test/docs/citations.test.ts';

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sources(path);
    return /\.(ts|mts|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

const FILES = FOLDERS.flatMap((folder) => sources(join(ROOT, folder)))
  .map((path) => relative(ROOT, path))
  .filter((path) => path !== SELF);

describe('comments', () => {
  it.each([
    ['a section of an outside spec', /spec \u00a7|\u00a7\s*\d/],
    ['a person', /\bengineer [A-Z]\b|\bengineer's\b/],
    ['a brief', /\b(team|the) brief\b/i],
    ['a file beside the repository', /\.\.\/shared\/|augmix-ref\/[\w.]+\.(md|py)/],
  ])('never cite %s', (_what, pattern) => {
    const hits = FILES.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(hits).toEqual([]);
  });

  it('cite docs/ files that exist', () => {
    const cited = new Set(
      FILES.flatMap((file) =>
        [...readFileSync(join(ROOT, file), 'utf8').matchAll(/docs\/[\w.-]+\.md/g)].map((m) => m[0]),
      ),
    );
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter((doc) => !existsSync(join(ROOT, doc)))).toEqual([]);
  });
});
