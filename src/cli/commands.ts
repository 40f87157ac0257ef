/** A subcommand of `augmix`. Modules are loaded on demand so that `augmix status` never loads sharp. */
export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  main(argv: string[]): Promise<number>;
}

export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  run: {
    summary: 'augment every image of a folder or S3 prefix into a folder or prefix (resumable, parallel)',
    load: () => import('./run-command.js'),
  },
  preview: {
    summary: 'draw a contact sheet: the original, AugMix variants and one variant’s chains',
    load: () => import('./preview-command.js'),
  },
  op: { summary: 'apply one op with a concrete value to an image', load: () => import('./op-command.js') },
  replay: {
    summary: 'apply a provenance record to an image (reproduces a variant from its original)',
    load: () => import('./replay-command.js'),
  },
  sample: {
    summary: 'print the provenance record a run writes for an image and variant',
    load: () => import('./sample-command.js'),
  },
  status: {
    summary: 'show the deployed pipeline’s backlog, messages in flight and DLQ depth',
    load: () => import('./status-command.js'),
  },
  dlq: {
    summary: 'dlq redrive: move dead-letter messages back to the work queue',
    load: () => import('./dlq-command.js'),
  },
  estimate: {
    summary: 'estimate the cost and wall time of augmenting a dataset on AWS (shards, objects, queue)',
    load: () => import('./estimate-command.js'),
  },
  dev: {
    summary: 'run the whole bucket pipeline locally (S3 + SQS endpoints, the worker’s own handler)',
    load: () => import('./dev-command.js'),
  },
  backfill: {
    summary:
      'augment a dataset already in S3: start | status | redrive the backfill state machine, or enqueue',
    load: () => import('./backfill-command.js'),
  },
};
