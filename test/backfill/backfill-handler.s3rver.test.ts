import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, PACKAGE_ROOT as PROJECT_ROOT } from '../../lib/worker-asset.js';
import type {
  BackfillBatchEvent,
  BackfillBatchResult,
  BackfillFinalizeEvent,
  BackfillFinalizeResult,
} from '../../src/backfill/batch-event.js';
import { type S3TestServer, startS3TestServer } from '../lambda/s3-test-server.js';
import {
  batchEvent,
  batchInput,
  INPUT_BUCKET,
  inputObjects,
  listItems,
  OUTPUT_BUCKET,
  readOutput,
  uploadInputs,
} from './batch-fixtures.js';

interface BackfillModule {
  handler(event: BackfillBatchEvent): Promise<BackfillBatchResult>;
  finalizeHandler(event: BackfillFinalizeEvent): Promise<BackfillFinalizeResult>;
}

// bundled as the stack bundles its functions (one ESM file, sharp left in node_modules), inside the project so
// that `sharp` resolves; the image threads then run the bundle itself
const OUT_DIR = path.join(PROJECT_ROOT, '.cache', `backfill-bundle-${process.pid}`);

let server: S3TestServer;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3TestServer([INPUT_BUCKET, OUTPUT_BUCKET]);
  s3 = server.client();
  await uploadInputs(s3, inputObjects());
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: [path.join(PROJECT_ROOT, 'lambda', 'backfill-batch.ts')],
    outfile: path.join(OUT_DIR, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    banner: { js: ESM_REQUIRE_BANNER },
    external: ['sharp'],
    logLevel: 'silent',
  });
});

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  rmSync(OUT_DIR, { recursive: true, force: true });
});

describe('lambda/backfill-batch (bundled)', () => {
  it('augments a batch on two image threads running the bundle itself, then writes the manifest', async () => {
    Object.assign(process.env, server.workerEnv, {
      BATCH_THREADS: '2',
      AUGMIX_TOOL_VERSION: 'augmix-pipeline 9.9.9',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AUGMIX_SETTINGS: '{"variants":3}',
    });
    const worker = (await import(pathToFileURL(path.join(OUT_DIR, 'index.mjs')).href)) as BackfillModule;
    const items = await listItems(s3);
    const input = batchInput('bundled/', { settings: { seed: 5 } });
    const result = await worker.handler(batchEvent(items, input));
    expect(result).toMatchObject({ shard: 'bundled/shard-000000000.tar', images: 5, variants: 15, puts: 2 });
    expect(result.failures).toHaveLength(2);
    const final = await worker.finalizeHandler({ BatchInput: input });
    expect(final).toMatchObject({ shards: 1, images: 5, failures: 2 });
    const manifest = JSON.parse(new TextDecoder().decode(await readOutput(s3, 'bundled/manifest.json')));
    // the stack's settings (AUGMIX_SETTINGS) under the event's
    expect(manifest.settings).toMatchObject({ variants: 3, seed: 5 });
    expect(manifest.tool).toBe('augmix-pipeline 9.9.9');
  });
});
