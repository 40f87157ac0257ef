// Bundles the `augmix` command (part of `npm run build`, after tsc and scripts/bundle-run-worker.ts):
// dist/bin/augmix.js is replaced by an ESM file that holds the entry and the modules it imports at start-up,
// and each command's modules go into chunks of dist/cli/ that the entry imports when that command runs (packages
// stay imports). Node.js then loads a few files instead of about a hundred: every command starts about 12 ms
// sooner (README, "What makes a run fast").
//
// A module that resolves a file next to itself (`import.meta.url`: the run worker, the Lambda handler of
// `augmix dev`, package.json, sharp) must still find it from the bundle: each such use is rewritten to the URL
// of the module's own file under dist/, relative to the bundle. The entry (dist/bin) and the chunks (dist/cli)
// sit at the same depth, so one relative path serves wherever esbuild puts the module.
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PACKAGE_ROOT } from '../lib/worker-asset.js';
import { SPLIT_BUNDLE_OPTIONS } from './bundle-options.js';

const DIST = join(PACKAGE_ROOT, 'dist');
const ENTRY = join(DIST, 'bin', 'augmix.js');
const CHUNKS = 'cli';
/** The bundle's second line (the first is the `#!` line): a second run without tsc in between leaves it. */
const MARK = '// augmix command, bundled by scripts/bundle-cli.ts';

if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run tsc (npm run build) first`);
if (readFileSync(ENTRY, 'utf8').split('\n')[1] === MARK) process.exit(0);
if (!readFileSync(join(DIST, 'src', 'run', 'image-worker.js'), 'utf8').startsWith('// augmix run worker')) {
  throw new Error('bundle the run worker first (scripts/bundle-run-worker.ts)');
}
rmSync(join(DIST, CHUNKS), { recursive: true, force: true });

/** `import.meta.url` of a module under dist/, as an expression that gives the same URL from dist/bin or dist/cli. */
const ownUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(join(DIST, 'bin'), args.path).split(sep).join('/');
      if (fromBundle.startsWith('../../')) throw new Error(`${args.path} is outside dist/`);
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return {
        contents: text.replaceAll('import.meta.url', url),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

await build({
  banner: { js: MARK },
  entryPoints: [{ in: ENTRY, out: 'bin/augmix' }],
  outdir: DIST,
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  ...SPLIT_BUNDLE_OPTIONS,
  plugins: [ownUrl],
});
chmodSync(ENTRY, 0o755);
