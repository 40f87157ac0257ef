#!/usr/bin/env node
import { PipelineSettingsError } from '../lib/resolve-pipeline-settings.js';
import { createApp } from './create-app.js';

// The CDK app (cdk.json): settings from context, cdk-nag on every synth. Bad settings print one clear list.
try {
  createApp().app.synth();
} catch (error) {
  if (!(error instanceof PipelineSettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
