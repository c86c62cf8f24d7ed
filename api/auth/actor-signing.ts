/**
 * Signs the actor of every decision the web app sends to Temporal, in one place for every page and /api/v1 route:
 * an interceptor on the Temporal client, where the Update id the signature is bound to is known. Actors come from
 * the signed-in session (api/auth/authenticate.ts); workflows refuse a person's decision that lacks this signature.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { signActor, signalActionId, type ActorKey } from '../../domain/actor-signature';
import type { Actor } from '../../domain/roles';

/** A person's actor in a decision's first argument; internal payloads without one pass unchanged. */
function withSignedActor(args: readonly unknown[], keys: readonly ActorKey[], actionId: string): unknown[] {
  const [first, ...rest] = args;
  if (!first || typeof first !== 'object' || Array.isArray(first)) return [...args];
  const actor = (first as { actor?: Actor }).actor;
  if (!actor || typeof actor !== 'object' || typeof actor.username !== 'string' || !actor.username) return [...args];
  return [{ ...first, actor: signActor(actor, keys, actionId, new Date()) }, ...rest];
}

export function actorSigningInterceptor(keys: readonly ActorKey[]): WorkflowClientInterceptor {
  return {
    async startUpdate(input, next) {
      // The SDK would make up an id after this point; the signature must name the id the workflow will see.
      const updateId = input.options.updateId ?? randomUUID();
      return next({ ...input, options: { ...input.options, updateId }, args: withSignedActor(input.args, keys, updateId) });
    },
    async startUpdateWithStart(input, next) {
      const updateId = input.updateOptions.updateId ?? randomUUID();
      return next({ ...input, updateOptions: { ...input.updateOptions, updateId }, updateArgs: withSignedActor(input.updateArgs, keys, updateId) });
    },
    async signal(input, next) {
      return next({ ...input, args: withSignedActor(input.args, keys, signalActionId(input.signalName)) });
    },
    async signalWithStart(input, next) {
      return next({ ...input, signalArgs: withSignedActor(input.signalArgs, keys, signalActionId(input.signalName)) });
    },
  };
}
