import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm test` runs `npm run layers` (dependency-cruiser with .dependency-cruiser.cjs) on the real tree. These
// tests show that the same rules do fail: a throwaway tree laid out like ours breaks each rule once.

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

const BAD_TREE: Record<string, string> = {
  'src/augmix/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'src/augmix/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  'src/augmix/c.ts': "import { p } from '../pipeline/p.js';\nexport const c = p;\n",
  'src/codec/d.ts': "import { p } from '../pipeline/p.js';\nexport const d = p;\n",
  'src/pipeline/p.ts': 'export const p = 1;\n',
  'src/pipeline/q.ts': "import sharp from 'sharp';\nexport const q = sharp;\n",
  'src/run/r.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const r = S3Client;\n",
  'src/run/s.ts': "import { x } from '../cli/x.js';\nexport const s = x;\n",
  'src/cli/x.ts': 'export const x = 1;\n',
  'src/aws/ok.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const ok = S3Client;\n",
  'lib/stack.ts': "import { x } from '../src/cli/x.js';\nexport const stack = x;\n",
};

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

describe('layer rules', () => {
  let tree: string;
  let violations: Violation[];

  beforeAll(async () => {
    tree = await mkdtemp(path.join(tmpdir(), 'augmix-layers-'));
    for (const [file, text] of Object.entries(BAD_TREE)) {
      await mkdir(path.dirname(path.join(tree, file)), { recursive: true });
      await writeFile(path.join(tree, file), text);
    }
    await writeFile(
      path.join(tree, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext' } }),
    );
    await writeFile(path.join(tree, 'package.json'), JSON.stringify({ type: 'module', dependencies: {} }));
    await symlink(path.join(repo, 'node_modules'), path.join(tree, 'node_modules'));
    const config = path.join(repo, '.dependency-cruiser.cjs');
    // depcruise exits non-zero when it finds errors; the JSON report is on stdout either way.
    const result = await run(
      process.execPath,
      [depcruise, 'src', 'lib', '--config', config, '--output-type', 'json'],
      {
        cwd: tree,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: { stdout: string }) => error);
    violations = JSON.parse(result.stdout).summary.violations;
  });

  afterAll(async () => {
    await rm(tree, { recursive: true, force: true });
  });

  const broken = () =>
    violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/.*node_modules\//, '')}`);

  it('reports an import cycle', () => {
    expect(broken()).toContain('no-circular: src/augmix/a.ts -> src/augmix/b.ts');
  });

  it('reports upward imports out of the core, the codec and the runner', () => {
    expect(broken()).toEqual(
      expect.arrayContaining([
        'augmix-is-the-core: src/augmix/c.ts -> src/pipeline/p.ts',
        'codec-below-pipeline: src/codec/d.ts -> src/pipeline/p.ts',
        'cli-is-the-top: src/run/s.ts -> src/cli/x.ts',
        'cli-is-the-top: lib/stack.ts -> src/cli/x.ts',
        'cdk-uses-lower-layers-only: lib/stack.ts -> src/cli/x.ts',
      ]),
    );
  });

  it('reports the AWS SDK outside src/aws and sharp outside src/codec, and nothing about src/aws', () => {
    const packages = broken().filter((line) => /sharp|aws-sdk/.test(line));
    expect(
      packages.some((line) => line.startsWith('aws-sdk-only-in-the-aws-layer: src/run/r.ts -> @aws-sdk/')),
    ).toBe(true);
    expect(
      packages.some((line) => line.startsWith('sharp-only-in-the-codec: src/pipeline/q.ts -> sharp/')),
    ).toBe(true);
    expect(violations.filter((v) => v.from.startsWith('src/aws/'))).toEqual([]);
  });
});
