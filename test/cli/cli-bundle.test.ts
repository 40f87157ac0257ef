import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built command (the suite's global setup runs `npm run build`). */
const ENTRY = fileURLToPath(new URL('../../dist/bin/augmix.js', import.meta.url));
const CHUNKS = fileURLToPath(new URL('../../dist/cli/', import.meta.url));

const relativeImports = (text: string): string[] =>
  [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((match) => match[1]!);

describe('the built augmix command (scripts/bundle-cli.ts)', () => {
  it('is one entry that imports only Node built-ins, packages and its own chunks in dist/cli', () => {
    const lines = readFileSync(ENTRY, 'utf8').split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env node');
    expect(lines[1]).toBe('// augmix command, bundled by scripts/bundle-cli.ts');
    const specifiers = relativeImports(lines.join('\n'));
    expect(specifiers.length).toBeGreaterThan(0);
    for (const specifier of specifiers) {
      expect(specifier).toMatch(/^\.\.\/cli\/[\w-]+\.js$/);
      expect(existsSync(join(dirname(ENTRY), specifier))).toBe(true);
    }
  });

  it('gives every module that resolves files beside itself the URL of its own file under dist/', () => {
    const chunks = readdirSync(CHUNKS).filter((name) => name.endsWith('.js'));
    const rewritten: string[] = [];
    for (const name of chunks) {
      const text = readFileSync(join(CHUNKS, name), 'utf8');
      for (const specifier of relativeImports(text)) {
        expect(existsSync(join(CHUNKS, specifier)), `${name} imports ${specifier}`).toBe(true);
      }
      const uses = text.split('import.meta.url').length - 1;
      const urls = [...text.matchAll(/new URL\("([^"]+)", import\.meta\.url\)\.href/g)].map((m) => m[1]!);
      expect(urls.length, `${name}: import.meta.url used as it is`).toBe(uses);
      for (const url of urls) {
        expect(url).toMatch(/^\.\.\/(src|lib)\//);
        expect(existsSync(join(CHUNKS, url)), `${name}: ${url}`).toBe(true);
        rewritten.push(url);
      }
    }
    // the run worker's URL comes from run-dataset's own place (dist/src/run/image-worker.js beside it)
    expect(rewritten).toContain('../src/run/run-dataset.js');
    expect(rewritten).toContain('../src/cli/tool-version.js');
  });
});
