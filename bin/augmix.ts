#!/usr/bin/env node
import { reportError } from '../src/cli/args.js';
import { COMMANDS } from '../src/cli/commands.js';
import { EXIT } from '../src/cli/exit.js';
import { didYouMean } from '../src/cli/suggest.js';
import { toolVersion } from '../src/cli/tool-version.js';

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'augmix: AugMix image variants, bit-exact to the official (Pillow) AugMix',
    '',
    'Usage: augmix <command> [options]   (augmix <command> --help for its options)',
    '       augmix --version',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit status: 0 ok, 1 some inputs failed, 2 usage error, 3 fatal error.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(toolVersion());
    return EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    const known = [...Object.keys(COMMANDS), '--help', '--version'];
    const what = name.startsWith('-') ? 'option' : 'command';
    console.error(
      `augmix: unknown ${what} ${JSON.stringify(name)}${didYouMean(name, known)}\n(augmix --help for usage)`,
    );
    return EXIT.usage;
  }
  const command = await entry.load();
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Commands report their own errors; this is for failures to load one.
    process.exitCode = reportError(process.argv[2] ?? '', error);
  },
);
