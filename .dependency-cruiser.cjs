// Layer rules for `npm run layers` (part of `npm test`). Our code, bottom to top:
//   src/augmix (the pure core)  <  src/codec (the only sharp user)  <  src/settings (the settings table)
//   <  src/pipeline (one image)
//   <  src/preview, src/run (local runner), src/aws (the only AWS SDK user: Lambda worker, operator tools,
//      the S3 side of `augmix run`)  <  src/cli  <  bin, lambda;   lib (CDK) uses only the lower layers.
// A module may import its own layer and the layers below it; nothing imports upward and nothing is circular.
const OURS = '^(src|lib|lambda|bin)/';

/** A rule: modules under `from` may import none of our modules outside `allowed` (their own folder included). */
function onlyImports(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: OURS, pathNot: `^(${allowed.join('|')})/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles tie layers together; move the shared piece into a module both can import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    onlyImports(
      'augmix-is-the-core',
      '^src/augmix/',
      ['src/augmix'],
      'The AugMix core imports nothing else of ours.',
    ),
    onlyImports(
      'codec-below-pipeline',
      '^src/codec/',
      ['src/augmix', 'src/codec'],
      'The codec uses the core only.',
    ),
    onlyImports(
      'settings-below-pipeline',
      '^src/settings/',
      ['src/augmix', 'src/codec', 'src/settings'],
      'The settings table reads the ranges and defaults of the core and the codec.',
    ),
    onlyImports(
      'pipeline-below-front-ends',
      '^src/pipeline/',
      ['src/augmix', 'src/codec', 'src/settings', 'src/pipeline'],
      'processImage uses the core, the codec and the settings table only; front ends (CLI, Lambda) sit above it.',
    ),
    onlyImports(
      'preview-below-cli',
      '^src/preview/',
      ['src/augmix', 'src/codec', 'src/settings', 'src/pipeline', 'src/preview'],
      'The contact sheet is drawn from the pipeline; the CLI writes it.',
    ),
    {
      name: 'cli-is-the-top',
      comment: 'Only bin/ starts the CLI; nothing else imports it.',
      severity: 'error',
      from: { pathNot: '^(src/cli|bin)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'cdk-uses-lower-layers-only',
      comment: 'The CDK code (lib/) bundles the worker by path; it imports no front end.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(src/(cli|run|aws|preview)|lambda|bin)/' },
    },
    {
      name: 'aws-sdk-only-in-the-aws-layer',
      comment: 'Every AWS SDK client lives under src/aws (type-only imports included).',
      severity: 'error',
      from: { pathNot: '^src/aws/' },
      to: { path: '(^|/)node_modules/@aws-sdk/' },
    },
    {
      name: 'sharp-only-in-the-codec',
      comment: 'src/codec is the one module that imports sharp.',
      severity: 'error',
      from: { pathNot: '^src/codec/' },
      to: { path: '(^|/)node_modules/sharp/' },
    },
    {
      name: 'cdk-only-in-lib',
      comment: 'aws-cdk-lib, constructs and cdk-nag are for the CDK code; the runtime code never loads them.',
      severity: 'error',
      from: { path: '^(src|lambda)/' },
      to: { path: '(^|/)node_modules/(aws-cdk-lib|constructs|cdk-nag)/' },
    },
    {
      name: 'no-dev-dependencies-at-runtime',
      comment:
        "Shipped code must not need a devDependency (peer dependencies are the app's; bin/app.ts and " +
        "bin/create-app.ts are this repository's own CDK app, not shipped).",
      severity: 'error',
      from: { path: OURS, pathNot: '^bin/(app|create-app)\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only', 'npm-peer'] },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|cdk\\.out|test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
  },
};
