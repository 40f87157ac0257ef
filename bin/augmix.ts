#!/usr/bin/env node
import { COMMANDS } from '../src/cli/commands.js';
import { EXIT, UsageError } from '../src/cli/exit.js';

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'augmix: AugMix image variants, bit-exact to the official (Pillow) AugMix',
    '',
    'Usage: augmix <command> [options]   (augmix <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    console.error(`augmix: unknown command ${JSON.stringify(name)}\n\n${help()}`);
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
    if (error instanceof UsageError) {
      console.error(`augmix: ${error.message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = EXIT.fatal;
  },
);
