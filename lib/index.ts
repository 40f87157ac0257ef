/**
 * The CDK side of augmix-pipeline (`augmix-pipeline/cdk`): the `AugmixPipeline` construct for any stack, the
 * ready stack, and the settings they take. Needs `aws-cdk-lib` and `constructs` (peer dependencies).
 *
 * @example
 * import { AugmixPipeline } from 'augmix-pipeline/cdk';
 * const pipeline = new AugmixPipeline(stack, 'Augmix', { variants: 8, size: 224 });
 */
export { AugmentWorkerFunction, type AugmentWorkerFunctionProps } from './augment-worker-function.js';
export {
  AugmixPipeline,
  type AugmixPipelineProps,
  METRICS_NAMESPACE,
  WORKER_SERVICE_NAME,
} from './augmix-pipeline.js';
export { AugmixPipelineStack, type AugmixPipelineStackProps } from './augmix-pipeline-stack.js';
export { BackfillEngine, type BackfillEngineProps } from './backfill-engine.js';
export {
  BackfillStateMachine,
  BackfillStateMachineError,
  type BackfillStateMachineProps,
} from './backfill-state-machine.js';
export { APP_CONTEXT_KEYS, CONTEXT_SETTINGS, settingsFromContext } from './context-settings.js';
export { secureBucketProps, secureQueueProps } from './defaults.js';
export { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from './lambda-runtime.js';
export type { AugmixPipelineSettings, AugmixSettings } from './pipeline-settings.js';
export {
  PipelineSettingsError,
  prefixesOverlap,
  type ResolvedPipelineSettings,
  resolvePipelineSettings,
} from './resolve-pipeline-settings.js';
export { BACKFILL_BUNDLE_DIR, WORKER_BUNDLE_DIR } from './worker-asset.js';
export type { WorkerSizing } from './worker-sizing.js';
