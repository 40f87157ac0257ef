import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentAndMix, imageFromData, variantSeed } from '../../src/augmix/index.js';
import { processImage } from '../../src/pipeline/process-image.js';
import { recordJson } from '../../src/pipeline/record-json.js';
import { resolveSettings } from '../../src/pipeline/settings.js';

// The package as a user gets it: `npm pack` (of the dist/ that the global setup builds), installed into a
// fresh folder with only the tarball, aws-cdk-lib, constructs and cdk-nag as dependencies. One pack and one
// install serve every test in this file.

const run = promisify(execFile);
const repo = new URL('../..', import.meta.url).pathname;
const versionOf = (name: string): string =>
  JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')).version;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const CONSUMER_STACK = `
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AugmixPipeline } from 'augmix-pipeline/cdk';

const [outdir, extra] = process.argv.slice(2);
const app = new App({ outdir, context: extra === 'unbundled' || extra === 'bad-queue' ? { 'aws:cdk:bundling-stacks': [] } : {} });
const stack = new Stack(app, 'ConsumerStack');
const pipeline = new AugmixPipeline(stack, 'Augmix', { variants: 2, inputPrefix: 'incoming/' });
if (extra === 'bad-queue') new Queue(stack, 'TheirUnencryptedQueue', { enforceSSL: false });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
console.log(JSON.stringify({ worker: stack.getLogicalId(pipeline.worker.node.defaultChild) }));
`;

const CONSUMER_API = `
import { readFileSync } from 'node:fs';
import { processImage, recordJson, resolveSettings } from 'augmix-pipeline';
import { augmentAndMix, imageFromData, variantSeed } from 'augmix-pipeline/core';

const bytes = readFileSync(process.argv[2]);
const { variants } = await processImage(bytes, 'shapes.png', resolveSettings({ variants: 1, format: 'png' }));
const tiny = imageFromData(2, 2, new Uint8Array([0, 50, 100, 150, 200, 250, 10, 20, 30, 40, 50, 60]));
const mixed = augmentAndMix(tiny, { severity: 3 }, variantSeed(7, 'tiny.png', 0));
console.log(JSON.stringify({
  name: variants[0].name,
  bytes: Buffer.from(variants[0].bytes).toString('base64'),
  record: recordJson(variants[0].record),
  core: Array.from(mixed.image.data),
}));
`;

const CONSUMER_TYPES = `
import { processImage, resolveSettings, type PipelineSettings } from 'augmix-pipeline';
import { augmentAndMix, type RgbImage } from 'augmix-pipeline/core';
import { AugmixPipeline, type AugmixPipelineProps } from 'augmix-pipeline/cdk';
import { Stack } from 'aws-cdk-lib';

const settings: PipelineSettings = resolveSettings({ variants: 2 });
const props: AugmixPipelineProps = { variants: 8, memorySize: 4096 };
export async function use(bytes: Uint8Array, image: RgbImage, stack: Stack): Promise<number> {
  new AugmixPipeline(stack, 'A', props);
  augmentAndMix(image, { allOps: true }, 1);
  return (await processImage(bytes, 'k.png', settings)).variants.length;
}
`;

describe('the packed package, installed into a fresh CDK app', () => {
  let app: string;
  let tarball: string;

  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'augmix-consumer-'));
    const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', app], {
      cwd: repo,
    });
    tarball = packed.stdout.trim().split('\n').at(-1)!;
    const manifest = {
      name: 'consumer-app',
      private: true,
      type: 'module',
      dependencies: {
        'augmix-pipeline': `file:./${tarball}`,
        'aws-cdk-lib': versionOf('aws-cdk-lib'),
        constructs: versionOf('constructs'),
        'cdk-nag': versionOf('cdk-nag'),
      },
    };
    await writeFile(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    await writeFile(join(app, 'stack.mjs'), CONSUMER_STACK);
    await writeFile(join(app, 'api.mjs'), CONSUMER_API);
    await writeFile(join(app, 'types.ts'), CONSUMER_TYPES);
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          target: 'ES2023',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: ['types.ts'],
      }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
    });
  }, 300_000);

  afterAll(async () => {
    if (app !== undefined) await rm(app, { recursive: true, force: true });
  });

  it('holds the built code, the prebuilt worker, types, LICENSE and README, and no sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', join(app, tarball)]);
    const files = stdout.trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/LICENSE',
        'package/README.md',
        'package/dist/worker/index.mjs',
        'package/dist/src/index.d.ts',
        'package/dist/lib/index.d.ts',
        'package/dist/bin/augmix.js',
      ]),
    );
    expect(files.filter((f) => /^package\/(src|lib|lambda|test|bench|scripts|samples)\//.test(f))).toEqual(
      [],
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(existsSync(join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
  });

  it('gives the augmix command from the installed tarball: its chunks, its run workers, the same files', async () => {
    const samples = join(repo, 'samples');
    const mine = join(app, 'from-repo');
    const theirs = join(app, 'from-package');
    const args = (output: string) => [
      'run',
      samples,
      output,
      '--variants',
      '1',
      '--concurrency',
      '2',
      '--quiet',
    ];
    await run(process.execPath, [join(repo, 'dist', 'bin', 'augmix.js'), ...args(mine)]);
    await run(process.execPath, [join(app, 'node_modules', '.bin', 'augmix'), ...args(theirs)]);
    const images = readdirSync(mine, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.includes('.augmix-'),
    );
    expect(images.length).toBeGreaterThan(3);
    for (const name of images) {
      expect(sha256(readFileSync(join(theirs, name))), name).toBe(sha256(readFileSync(join(mine, name))));
    }
  });

  it('synthesizes the construct in the app\u2019s own stack with cdk-nag, bundling the worker for real', async () => {
    const outdir = join(app, 'cdk.out');
    const { stdout } = await run(process.execPath, ['stack.mjs', outdir], { cwd: app, maxBuffer: 16 << 20 });
    const { worker } = JSON.parse(stdout.trim().split('\n').at(-1)!);
    const template = JSON.parse(readFileSync(join(outdir, 'ConsumerStack.template.json'), 'utf8'));
    const fn = template.Resources[worker];
    expect(fn.Properties).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    const asset = join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
    expect(readdirSync(asset).sort()).toEqual(['index.mjs', 'index.mjs.map', 'node_modules', 'package.json']);
    expect(existsSync(join(asset, 'node_modules/@img/sharp-linux-arm64'))).toBe(true);
  }, 240_000);

  it('fails the same synth when cdk-nag finds a problem in the app\u2019s stack (the checks do run)', async () => {
    const failed = await run(process.execPath, ['stack.mjs', join(app, 'cdk.out.bad'), 'bad-queue'], {
      cwd: app,
    }).then(
      () => 'synthesized',
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).toMatch(/AwsSolutions-SQS[34]/);
    expect(failed).not.toMatch(/ConsumerStack\/Augmix\//);
  }, 120_000);

  it('gives the public API from the installed tarball: a variant identical to this repository\u2019s', async () => {
    const image = join(repo, 'samples', 'shapes.png');
    const { stdout } = await run(process.execPath, ['api.mjs', image], { cwd: app, maxBuffer: 64 << 20 });
    const fromPackage = JSON.parse(stdout);

    const [expected] = (
      await processImage(readFileSync(image), 'shapes.png', resolveSettings({ variants: 1, format: 'png' }))
    ).variants;
    expect(fromPackage.name).toBe(expected!.name);
    expect(sha256(Buffer.from(fromPackage.bytes, 'base64'))).toBe(sha256(expected!.bytes));
    expect(fromPackage.record).toBe(recordJson(expected!.record));

    const tiny = imageFromData(2, 2, new Uint8Array([0, 50, 100, 150, 200, 250, 10, 20, 30, 40, 50, 60]));
    const mixed = augmentAndMix(tiny, { severity: 3 }, variantSeed(7, 'tiny.png', 0));
    expect(fromPackage.core).toEqual(Array.from(mixed.image.data));
  });

  it('type-checks a TypeScript user of the three entry points against the shipped declarations', async () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app })).resolves.toBeDefined();
  }, 120_000);
});
