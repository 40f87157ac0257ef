/**
 * The conventions every `augmix` command shares (one runner, src/cli/args.ts): `--version`, "did you mean"
 * for unknown commands and options, one error format and exit status per kind of error, and torchvision's
 * parameter names as aliases. Spawns the built CLI.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.js';
import { SETTINGS_ALIASES, SETTINGS_OPTIONS } from '../../src/cli/settings-options.js';
import { closest } from '../../src/cli/suggest.js';
import { runCli } from './status-dlq-helpers.js';

const PACKAGE = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'augmix-style-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('augmix, the dispatcher', () => {
  it('is built executable, so `npx augmix` runs it through its bin link after every rebuild', async () => {
    const bin = new URL(`../../${PACKAGE.bin.augmix}`, import.meta.url);
    expect((await stat(bin)).mode & 0o111).toBe(0o111);
  });

  it.each(['--version', '-V', 'version'])('%s prints the package version', async (flag) => {
    const result = await runCli([flag]);
    expect(result).toMatchObject({ code: 0, stdout: `augmix-pipeline ${PACKAGE.version}\n`, stderr: '' });
  });

  it('suggests the command meant', async () => {
    const result = await runCli(['stauts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'augmix: unknown command "stauts" (did you mean status?)\n(augmix --help for usage)\n',
    );
  });
});

describe('every command', () => {
  it.each([
    ['run', ['in', 'out', '--sevrity', '3'], 'unknown option --sevrity (did you mean --severity?)'],
    ['preview', ['a.png', '--vairants', '2'], 'unknown option --vairants (did you mean --variants?)'],
    ['sample', ['a.png', '--seed'], '--seed expects a value'],
    ['op', ['rotate', '5', 'a.png', 'b.png', '-z'], 'unknown option -z'],
    ['replay', ['r.json', 'a.png', 'b.png', 'extra'], 'unexpected argument "extra"'],
    ['status', ['--queue-ur', 'x'], 'unknown option --queue-ur (did you mean --queue-url?)'],
    ['dlq', ['redrive', '--dry-run=yes'], '--dry-run takes no value'],
    ['dlq', ['redirve'], 'expected the action "redrive" but received "redirve" (did you mean redrive?)'],
    ['backfill', ['--prefx', 'train/'], 'unknown option --prefx (did you mean --prefix?)'],
    [
      'backfill',
      ['start', 's3://b/p/', '--layuot', 'shards'],
      'unknown option --layuot (did you mean --layout?)',
    ],
    ['backfill', ['status', '--jsn'], 'unknown option --jsn (did you mean --json?)'],
    [
      'backfill',
      ['strat'],
      'expected the action start, status, redrive or enqueue but received "strat" (did you mean start?)',
    ],
    ['estimate', ['--imgs', '3'], 'unknown option --imgs (did you mean --images?)'],
    ['dev', ['--prot', '4000'], 'unknown option --prot (did you mean --port?)'],
  ])('%s %j: one usage error format, exit 2', async (command, args, message) => {
    const result = await runCli([command, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`augmix ${command}: ${message}\n(augmix ${command} --help for usage)\n`);
  });

  it('reports a fatal error in the same format with exit 3 (status without a stack to find)', async () => {
    const result = await runCli(['status', '--once', '--stack', 'NoSuchStack', '--region', 'us-east-1'], {
      env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^augmix status: \S.*\n$/);
  });
});

describe('torchvision names', () => {
  it('are aliases of the settings flags', () => {
    expect(SETTINGS_ALIASES).toMatchObject({
      'mixture-width': 'width',
      mixture_width: 'width',
      'chain-depth': 'depth',
      chain_depth: 'depth',
      all_ops: 'all-ops',
    });
    const spec = {
      name: 'x',
      help: '',
      options: SETTINGS_OPTIONS,
      positionals: [],
      aliases: SETTINGS_ALIASES,
    };
    const parsed = parseCommandArgs(['--mixture-width=2', '--chain-depth', '-1', '--all_ops'], spec);
    expect(parsed.values).toMatchObject({ width: '2', depth: '-1', 'all-ops': true });
  });

  it('give the same preview as our names', async () => {
    const image = join(process.cwd(), 'samples', 'shapes.png');
    const ours = join(dir, 'ours.png');
    const theirs = join(dir, 'theirs.png');
    const a = await runCli(['preview', image, '--out', ours, '--width', '2', '--depth', '1', '--all-ops']);
    const b = await runCli([
      'preview',
      image,
      '--out',
      theirs,
      '--mixture-width',
      '2',
      '--chain-depth',
      '1',
      '--all_ops',
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await readFile(theirs)).toEqual(await readFile(ours));
  });

  it('suggests nothing for a word far from every candidate', () => {
    expect(closest('zzzzzz', ['status', 'run'])).toBeUndefined();
    expect(closest('dlg', ['status', 'dlq', 'run'])).toBe('dlq');
  });
});
