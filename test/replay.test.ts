/**
 * Every history recorded under test/histories (by `npm run histories:record`) replays on the current workflow code:
 * a change that would break a workflow already running, open or closed, fails here before it is deployed.
 * Replay needs no Temporal server and no database, so it runs alike in the SQLite and the MariaDB runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { actorKeyBundlerHook, guanjiaDataConverter } from '../api/temporal/temporal-security';
import { historyFromJson } from './helpers/history-json';

const HISTORIES = path.join(__dirname, 'histories');
const WORKFLOWS = path.resolve(__dirname, '..', 'workflows');

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return jsonFiles(full);
    return e.name.endsWith('.json') ? [full] : [];
  });
}

/** `<set>/<workflow-type>/<path>`: the name each history is replayed and reported under. */
const recorded = jsonFiles(HISTORIES).map((file) => path.relative(HISTORIES, file).replace(/\\/g, '/').replace(/\.json$/, '')).sort();

/** The workflow types the worker registers (workflows/index.ts), each of which needs at least one recorded path. */
function registeredWorkflowTypes(): string[] {
  const index = fs.readFileSync(path.join(WORKFLOWS, 'index.ts'), 'utf8');
  return [...index.matchAll(/export\s*\{([^}]*)\}\s*from/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!)).filter((n) => n.endsWith('Workflow'));
}

describe('recorded workflow histories', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    // The replay worker's start and stop are INFO lines; a determinism failure is a WARN and still shows.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const bundle = process.env.GJ_WORKFLOW_BUNDLE;
    // One replay worker for all files; each history is replayed under its file name, so a failure names its path.
    const replays = Worker.runReplayHistories(
      // The codec reads histories recorded with the fixed test key (and passes older, unencrypted ones through).
      { ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { webpackConfigHook: actorKeyBundlerHook() } }), replayName: 'recorded-histories', dataConverter: guanjiaDataConverter() },
      recorded.map((name) => ({ workflowId: name, history: historyFromJson(JSON.parse(fs.readFileSync(path.join(HISTORIES, `${name}.json`), 'utf8'))) })),
    );
    for await (const r of replays) results.set(r.workflowId, r);
  });

  it('holds at least one recorded path of every workflow the worker runs', () => {
    const types = registeredWorkflowTypes();
    expect(types).toContain('orderWorkflow');
    const missing = types.filter((t) => !recorded.some((name) => name.split('/')[1] === t));
    expect(missing).toEqual([]);
  });

  it.each(recorded)('replays %s on the current workflow code without a determinism error', (name) => {
    const r = results.get(name);
    expect(r).toBeDefined();
    // The message names the command that no longer matches, e.g. "Activity type of scheduled event … does not match".
    expect(r!.error ? `${r!.error.name}: ${r!.error.message}` : 'replayed').toBe('replayed');
  });
});
