import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The built worker of `augmix run` (the suite's global setup runs `npm run build`). */
const WORKER = fileURLToPath(new URL('../../dist/src/run/image-worker.js', import.meta.url));

describe('the built run worker (scripts/bundle-run-worker.ts)', () => {
  it('is one bundle that imports only Node built-ins, packages and its own chunks', () => {
    const text = readFileSync(WORKER, 'utf8');
    expect(text.split('\n')[0]).toBe('// augmix run worker, bundled by scripts/bundle-run-worker.ts');
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((match) => match[1]!);
    const relative = specifiers.filter((specifier) => specifier.startsWith('.'));
    expect(relative.length).toBeGreaterThan(0);
    for (const specifier of relative) {
      expect(specifier).toMatch(/^\.\/image-worker-chunks\/[\w-]+\.js$/);
      expect(existsSync(join(dirname(WORKER), specifier))).toBe(true);
    }
  });
});
