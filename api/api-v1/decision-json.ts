/**
 * Decision outcomes as the JSON API reports them: the status and version the workflow answered with, or, when it
 * refused, the order's current ones from the read model, so the caller can see why and try again with the right
 * version; a refused single decision is also an error (409 with the workflow's reason).
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Context } from 'hono';
import type { z } from 'zod';
import { Order } from '../../db/entities';
import type { AppEnv } from '../env';
import type { DecisionOutcome } from '../orders/order-decisions';
import { t } from '../render';
import { apiErrorBody, WORKFLOW_FAILURE } from './api-error';
import { errorResponse, jsonResponse } from './api-route';
import { DecisionRefusedSchema, type DecisionResultSchema } from './api-schemas';

/** The failures a single decision may answer with, besides bad input and auth. */
export const DECISION_FAILURES = {
  404: errorResponse('No such order (`not_found`)'),
  409: jsonResponse(DecisionRefusedSchema, 'Refused by the order workflow (`refused`): wrong state, stale expectedVersion, not permitted…; `message` says why'),
  502: jsonResponse(DecisionRefusedSchema, 'The workflow call failed (`workflow_failed`)'),
  503: jsonResponse(DecisionRefusedSchema, 'The workflow service cannot be reached (`workflow_unavailable`); nothing was done'),
  504: jsonResponse(DecisionRefusedSchema, 'No answer in time (`workflow_timeout`); the outcome is unknown, send the same actionId again'),
};

/** The 404 for an order the read model does not know; decisions are not sent for it. */
export function orderNotFound(c: Context<AppEnv>, id: string) {
  return c.json(apiErrorBody('not_found', t(c, 'order.notFound', { id })), 404);
}

type DecisionJson = z.infer<typeof DecisionResultSchema>;
type RefusedJson = z.infer<typeof DecisionRefusedSchema>;

export async function decisionsJson(em: EntityManager, outcomes: readonly DecisionOutcome[]): Promise<DecisionJson[]> {
  const unknown = outcomes.filter((o) => o.status === undefined).map((o) => o.orderId);
  const current = unknown.length
    ? new Map((await em.find(Order, { id: { $in: unknown } }, { fields: ['id', 'status', 'version'] })).map((o) => [o.id, o]))
    : new Map<string, Order>();
  return outcomes.map((o) => {
    const now = current.get(o.orderId);
    const out: DecisionJson = {
      orderId: o.orderId,
      ok: o.ok,
      status: o.status ?? now?.status ?? null,
      version: o.version ?? now?.version ?? null,
      message: o.message,
    };
    if (o.waybillNo) out.waybillNo = o.waybillNo;
    if (!o.ok) out.code = WORKFLOW_FAILURE[o.failure ?? 'failed'].code;
    return out;
  });
}

export type DecisionAnswer =
  | { ok: true; status: 200; body: DecisionJson }
  | { ok: false; status: (typeof WORKFLOW_FAILURE)[keyof typeof WORKFLOW_FAILURE]['status']; body: RefusedJson };

/** One decision's HTTP answer: 200 when done, else the failure's status with the result and the error body. */
export async function decisionAnswer(em: EntityManager, outcome: DecisionOutcome): Promise<DecisionAnswer> {
  const [body] = await decisionsJson(em, [outcome]);
  if (!body) throw new Error('no decision result');
  if (outcome.ok) return { ok: true, status: 200, body };
  const failure = WORKFLOW_FAILURE[outcome.failure ?? 'failed'];
  return { ok: false, status: failure.status, body: { ...body, error: { code: failure.code, message: outcome.message } } };
}
