import { describe, expect, it } from 'vitest';
import { defaultExecutionName, startInput } from '../../src/cli/backfill-command.js';
import { UsageError } from '../../src/cli/exit.js';
import { runCli } from './status-dlq-helpers.js';

const STACK = { inputBucket: 'dataset', inputPrefix: 'raw/', outputPrefix: 'aug/' };

describe('augmix backfill start: the execution input', () => {
  it('defaults to shards under <output prefix>backfill/<name>/ and passes only the AugMix options given', () => {
    expect(startInput({ variants: '2', seed: '7' }, ['s3://dataset/raw/train'], STACK, 'run-1')).toEqual({
      inputPrefix: 'raw/train/',
      outputPrefix: 'aug/backfill/run-1/',
      layout: 'shards',
      settings: { variants: 2, seed: 7 },
    });
  });

  it('objects go where the event path writes them; an inventory manifest is passed on', () => {
    expect(
      startInput(
        { layout: 'objects', 'inventory-manifest': 'inv/x/manifest.json' },
        ['s3://dataset/raw/'],
        STACK,
        'n',
      ),
    ).toEqual({
      inputPrefix: 'raw/',
      outputPrefix: 'aug/',
      layout: 'objects',
      settings: {},
      inventoryManifestKey: 'inv/x/manifest.json',
    });
  });

  it.each([
    [{}, ['s3://other/raw/'], /only the stack's input bucket "dataset", not "other"/],
    [{}, ['s3://dataset/cooked/'], /prefix "cooked\/" is not under the stack's input prefix "raw\/"/],
    [{ layout: 'tar' }, ['s3://dataset/raw/'], /--layout expects shards or objects, got "tar"/],
    [
      { 'output-prefix': 'elsewhere/' },
      ['s3://dataset/raw/'],
      /--output-prefix .* under the stack's output prefix "aug\/"/,
    ],
    [{ severity: '11' }, ['s3://dataset/raw/'], /severity/],
    [{}, [], /start expects one s3:\/\/bucket\/prefix\//],
    [{}, ['/local/folder'], /expected s3:\/\/bucket/],
  ])('refuses %j %j', (values, positionals, message) => {
    expect(() => startInput(values, positionals, STACK, 'n')).toThrow(UsageError);
    expect(() => startInput(values, positionals, STACK, 'n')).toThrow(message);
  });

  it('names executions backfill-<UTC time>-<random>', () => {
    expect(defaultExecutionName(new Date('2026-12-03T10:15:00.123Z'))).toMatch(
      /^backfill-20261203T101500Z-[0-9a-f]{4}$/,
    );
  });
});

describe('augmix backfill (CLI)', () => {
  it.each([
    [['backfill'], /Usage: augmix backfill <start\|status\|redrive\|enqueue>/, 2, 'stdout'],
    [['backfill', 'launch'], /unknown subcommand "launch"/, 2, 'stderr'],
    [['backfill', '--prefix', 'x/'], /now `augmix backfill enqueue`/, 2, 'stderr'],
    [['backfill', 'start'], /start expects one s3:\/\/bucket\/prefix\//, 2, 'stderr'],
    [
      ['backfill', 'start', 's3://b/p/', '--layout', 'zip'],
      /--layout expects shards or objects/,
      2,
      'stderr',
    ],
    [['backfill', 'start', 's3://b/p/', '--name', 'a b'], /--name expects/, 2, 'stderr'],
    [['backfill', 'start', 's3://b/p/', '--wat'], /wat/, 2, 'stderr'],
    [['backfill', 'status', 'not-an-arn'], /expected an execution ARN/, 2, 'stderr'],
    [['backfill', 'status', '--interval', '0'], /--interval expects seconds >= 1/, 2, 'stderr'],
    [['backfill', 'redrive'], /redrive expects one execution ARN, got 0/, 2, 'stderr'],
    [['backfill', 'redrive', 'arn:aws:sqs:x'], /expected an execution ARN/, 2, 'stderr'],
  ])('%j exits %#', async (args, message, code, stream) => {
    const result = await runCli(args);
    expect(result[stream as 'stdout' | 'stderr']).toMatch(message);
    expect(result.code).toBe(code);
  });

  it('prints its help with every subcommand and the AugMix options', async () => {
    const result = await runCli(['backfill', '--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'backfill start s3://bucket/prefix/',
      'backfill status',
      'backfill redrive',
      'backfill enqueue',
      '--variants',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });
});
