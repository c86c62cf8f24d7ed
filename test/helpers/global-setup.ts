/** Starts one real Temporal dev server (the CLI from .tools/) and bundles the workflows once for every suite. */
import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { actorKeyBundlerHook, FAILURE_CONVERTER_PATH } from '../../api/temporal/temporal-security';
import { useTestKeys } from './test-keys';

const root = path.resolve(__dirname, '../..');

export default async function globalSetup(): Promise<void> {
  const bundlePath = path.join(root, '.tools', 'test-workflow-bundle.js');
  // Every suite's clients and workers encrypt payloads and sign actors with the fixed test keys; the bundle carries the actor key.
  useTestKeys();
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows'), logger: quietLogger, webpackConfigHook: actorKeyBundlerHook(), failureConverterPath: FAILURE_CONVERTER_PATH });
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.GJ_WORKFLOW_BUNDLE = bundlePath;
  // Activity retries are part of what the suites test; the SDK's warning per retry would drown the report.
  process.env.WORKER_LOG_LEVEL ??= 'ERROR';

  if (process.env.TEST_TEMPORAL_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = process.env.TEST_TEMPORAL_ADDRESS;
    return;
  }
  const executable = path.join(root, '.tools', 'venv', 'bin', 'temporal');
  if (!fs.existsSync(executable)) throw new Error(`${executable} is missing: run "npm ci" (its install step brings the Temporal CLI)`);
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: executable }, extraArgs: ['--log-level', 'error'] },
  });
  (globalThis as { __GJ_TEMPORAL__?: TestWorkflowEnvironment }).__GJ_TEMPORAL__ = env;
  process.env.TEMPORAL_ADDRESS = env.address;
}

const quietLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (m: string) => console.warn(m), error: (m: string) => console.error(m),
};
