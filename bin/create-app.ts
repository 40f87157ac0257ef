import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AugmixPipelineStack } from '../lib/augmix-pipeline-stack.js';
import { settingsFromContext } from '../lib/context-settings.js';

/** Name of the stack unless `-c stackName=...` says otherwise. */
export const DEFAULT_STACK_NAME = 'AugmixPipeline';

/**
 * Builds the CDK app of `bin/app.ts`: one {@link AugmixPipelineStack} whose settings come from CDK context
 * (`cdk deploy -c variants=8`), with the cdk-nag AwsSolutions checks registered so that every synth runs them
 * and any finding fails it. The stack is environment-agnostic (no lookups), so `cdk synth` needs no AWS
 * credentials; `cdk deploy` uses the profile's account and region.
 *
 * @param app the app (tests pass one with their own context)
 */
export function createApp(app: App = new App()): { app: App; stack: AugmixPipelineStack } {
  const settings = settingsFromContext(app.node);
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new AugmixPipelineStack(app, stackName, {
    ...settings,
    description: 'augmix-pipeline: S3 uploads -> SQS -> arm64 Lambda AugMix workers -> S3 variants',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
