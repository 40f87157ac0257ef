import { Runtime } from 'aws-cdk-lib/aws-lambda';

/**
 * The Node.js major version of the worker's Lambda runtime: the one constant the stack, the arm64 smoke test
 * (which runs the bundled asset on this major under qemu) and `scripts/setup-system.sh` (which fetches that
 * arm64 `node`) all read. Change it together with {@link LAMBDA_RUNTIME}.
 */
export const LAMBDA_NODE_MAJOR = 24;

/** The worker's Lambda runtime: `nodejs${LAMBDA_NODE_MAJOR}.x`. */
export const LAMBDA_RUNTIME: Runtime = Runtime.NODEJS_24_X;

/** esbuild `--target` matching the runtime. */
export const LAMBDA_ESBUILD_TARGET = `node${LAMBDA_NODE_MAJOR}`;

if (LAMBDA_RUNTIME.name !== `nodejs${LAMBDA_NODE_MAJOR}.x`) {
  throw new Error(
    `lib/lambda-runtime.ts: LAMBDA_RUNTIME is ${LAMBDA_RUNTIME.name} but LAMBDA_NODE_MAJOR is ${LAMBDA_NODE_MAJOR}`,
  );
}
