/**
 * Verifies, inside the workflow sandbox, that a person's decision carries the web app's signature for this very
 * Update (or signal) and is fresh; a decision sent straight to Temporal (CLI, UI) without one is refused and logged.
 * The key ring reaches this module only as a constant the worker defines when it bundles the workflow code
 * (api/temporal/actor-key-bundling.ts): it is never an argument, a payload or part of any history.
 */
import { currentUpdateInfo, inWorkflowContext, log, workflowInfo } from '@temporalio/workflow';
import { actorSignatureProblem, signalActionId, type ActorKey } from '../domain/actor-signature';
import type { Actor } from '../domain/roles';

declare const __GUANJIA_ACTOR_KEYS__: string | undefined;

/** patched() name of the signal handlers that verify their actor; histories recorded before it replay unchanged. */
export const SIGNED_ACTORS = 'signed-actors';

let keys: ActorKey[] | undefined;

function bundledKeys(): ActorKey[] {
  if (keys) return keys;
  try {
    const raw = typeof __GUANJIA_ACTOR_KEYS__ === 'string' ? __GUANJIA_ACTOR_KEYS__ : '[]';
    const parsed = JSON.parse(raw) as unknown;
    keys = Array.isArray(parsed) ? parsed.filter((k): k is ActorKey => typeof k?.id === 'string' && typeof k?.hex === 'string') : [];
  } catch {
    keys = [];
  }
  return keys;
}

/**
 * Throws, from an Update validator, when the actor's signature is missing, forged, for another Update or stale.
 * Validators run only when an Update arrives, never on replay, so a new check here changes no recorded history.
 * Outside a workflow (pure unit tests of the decision checks) there is nothing to verify against.
 */
export function assertSignedActor(actor: Actor | undefined): void {
  if (!inWorkflowContext()) return;
  const update = currentUpdateInfo();
  if (!update) return;
  const problem = actorSignatureProblem(actor, bundledKeys(), { actionId: update.id, now: Date.now() });
  if (!problem) return;
  log.warn('refused a decision without a valid actor signature', {
    workflowId: workflowInfo().workflowId, update: update.name, updateId: update.id, claimedActor: actor?.username ?? '', reason: problem,
  });
  throw new Error(problem);
}

/**
 * Why a person's signal may not act (null when its signature is good). Signal handlers run again on replay, so
 * their callers keep the old behaviour behind patched('signed-actors'); the check uses only what replays alike
 * (workflow time, the signal's name), and an actor key stays in the ring while a workflow that received a signal signed
 * with it may still replay (docs/operations.md).
 */
export function signalActorProblem(actor: Actor | undefined, signalName: string): string | null {
  const problem = actorSignatureProblem(actor, bundledKeys(), { actionId: signalActionId(signalName), now: Date.now() });
  if (problem) log.warn('refused a signal without a valid actor signature', { workflowId: workflowInfo().workflowId, signal: signalName, claimedActor: actor?.username ?? '', reason: problem });
  return problem;
}
