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
async function withSignedActor(args: readonly unknown[], keys: readonly ActorKey[], actionId: string, now: Clock): Promise<unknown[]> {
  const [first, ...rest] = args;
  if (!first || typeof first !== 'object' || Array.isArray(first)) return [...args];
  const actor = (first as { actor?: Actor }).actor;
  if (!actor || typeof actor !== 'object' || typeof actor.username !== 'string' || !actor.username) return [...args];
  return [{ ...first, actor: signActor(actor, keys, actionId, await now()) }, ...rest];
}

/** What time a signature says; a workflow compares it with its own clock (the time-skipping test server's runs ahead). */
export type Clock = () => Date | Promise<Date>;

export function actorSigningInterceptor(keys: readonly ActorKey[], now: Clock = () => new Date()): WorkflowClientInterceptor {
  return {
    async startUpdate(input, next) {
      // The SDK would make up an id after this point; the signature must name the id the workflow will see.
      const updateId = input.options.updateId ?? randomUUID();
      return next({ ...input, options: { ...input.options, updateId }, args: await withSignedActor(input.args, keys, updateId, now) });
    },
    async startUpdateWithStart(input, next) {
      const updateId = input.updateOptions.updateId ?? randomUUID();
      return next({ ...input, updateOptions: { ...input.updateOptions, updateId }, updateArgs: await withSignedActor(input.updateArgs, keys, updateId, now) });
    },
    async signal(input, next) {
      return next({ ...input, args: await withSignedActor(input.args, keys, signalActionId(input.signalName), now) });
    },
    async signalWithStart(input, next) {
      return next({ ...input, signalArgs: await withSignedActor(input.signalArgs, keys, signalActionId(input.signalName), now) });
    },
  };
}
