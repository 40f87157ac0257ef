import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AugmixPipelineStack, type AugmixPipelineStackProps } from '../../lib/augmix-pipeline-stack.js';

/** Context that skips asset bundling for every stack (template tests do not need the worker's asset). */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/** An app whose stacks are not bundled. */
export function unbundledApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...SKIP_BUNDLING, ...context } });
}

/** Synthesizes the pipeline stack with `props` (bundling skipped) and returns it with its template. */
export function synthPipeline(props: AugmixPipelineStackProps = {}): {
  stack: AugmixPipelineStack;
  template: Template;
} {
  const stack = new AugmixPipelineStack(unbundledApp(), 'Augmix', props);
  return { stack, template: Template.fromStack(stack) };
}

/** The one resource of `type` in the template (fails unless there is exactly one), with its logical id. */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0]!;
  return { id, props: (resource as { Properties: Record<string, unknown> }).Properties };
}
