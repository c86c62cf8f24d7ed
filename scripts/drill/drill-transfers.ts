/**
 * The drill's transfer desk: the warehouse moves stock from MAIN to the returns warehouse through /api/v1 while the
 * worker, the web process and Temporal are killed. Each transfer is created once per action id and follows a plan
 * drawn from the seed: cancelled before outbound; approved out and in; received short, the difference approved by the
 * admin (a second person); or reversed after outbound, asked by the warehouse and approved by the admin (stock.reverse).
 * A transfer that lost its answer is read again rather than moved twice, and the checks compare each end with its plan.
 */
import { randomUUID } from 'node:crypto';
import type { SeededRandom } from '../../integrations/sandbox/seeded-random';
import { errorMessage, type DrillDesk } from './drill-desk';
import type { DrillStack } from './drill-stack';

const FINAL = ['done', 'cancelled', 'reversed'];

/** What the desk does with a transfer, and so where it must end: cancelled, done (received in full or short), reversed. */
export type TransferPlan = 'cancel' | 'full' | 'short' | 'reverse';
export const PLANNED_END: Record<TransferPlan, string> = { cancel: 'cancelled', full: 'done', short: 'done', reverse: 'reversed' };
const PLAN_SHARES: Array<[TransferPlan, number]> = [['cancel', 0.15], ['short', 0.25], ['reverse', 0.2], ['full', 0.4]];

export interface DrillTransfers {
  /** Creates the next transfer when it is time, and moves each open one a step; never waits for a step to finish. */
  pass(): Promise<void>;
  ended(): boolean;
  summary(): { created: number; stages: Record<string, number>; plans: Record<string, number> };
  /** Every transfer created, with the plan the desk followed. */
  planned(): Array<{ transferNo: string; plan: TransferPlan }>;
}

export function createDrillTransfers(options: { stack: Pick<DrillStack, 'tokens'>; desk: DrillDesk; rng: SeededRandom; count: number }): DrillTransfers {
  const { desk, rng } = options;
  const { warehouse, admin } = options.stack.tokens;
  // Every plan comes up in the first four transfers (in a seeded order), so even a short drill reverses and counts short.
  const firstFour = PLAN_SHARES.map(([p]) => ({ p, r: rng.next() })).sort((x, y) => x.r - y.r).map((x) => x.p);
  const planAt = (i: number): TransferPlan => firstFour[i] ?? rng.weighted(PLAN_SHARES, ([, w]) => w)[0];
  /** Action ids of creations, fixed when first tried, so a resend after a lost answer creates nothing new; each with its plan. */
  const plans = new Map<string, TransferPlan>(Array.from({ length: options.count }, (_, i) => [randomUUID(), planAt(i)]));
  const pending = [...plans.keys()];
  const stages = new Map<string, string>();
  const planOf = new Map<string, TransferPlan>();
  let skus: string[] = [];

  const create = async (actionId: string) => {
    if (!skus.length) {
      const levels = await desk.request(warehouse, 'GET', '/stock/levels?warehouse=MAIN&size=200');
      skus = ((levels?.body.items as Array<{ skuCode: string; available: number }> | undefined) ?? []).filter((l) => l.available > 20).map((l) => l.skuCode);
      if (!skus.length) return;
    }
    const lines = [{ code: rng.pick(skus), qty: rng.int(1, 3) }];
    const answer = await desk.decide(warehouse, 'POST', '/stock/transfers', { actionId, fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', lines, memo: '演练调拨' });
    if (answer?.status === 201) {
      const no = String(answer.body.transferNo);
      stages.set(no, 'created');
      planOf.set(no, plans.get(actionId)!);
      pending.splice(pending.indexOf(actionId), 1);
      desk.decided('transfer:create', [actionId]);
    } else if (answer) desk.refused(actionId, errorMessage(answer));
  };

  /** The next decision of a transfer in this stage under its plan: who sends it, where, with what; null when none is due. */
  const nextDecision = (stage: string, plan: TransferPlan, lines: Array<{ skuCode: string; qty: number }>): { token: string; path: string; body: Record<string, unknown> } | null => {
    switch (stage) {
      case 'created':
        return plan === 'cancel' ? { token: warehouse, path: 'cancel', body: { reason: '演练取消' } } : { token: warehouse, path: 'outbound', body: {} };
      case 'in_transit':
        if (plan === 'reverse') return { token: warehouse, path: 'reverse-request', body: { reason: '演练：调错仓，冲销出库' } };
        // Short: the first line arrives one unit short (a line of one arrives as none), which the admin then approves.
        return { token: warehouse, path: 'inbound', body: { received: lines.map((l, i) => ({ skuCode: l.skuCode, qty: plan === 'short' && i === 0 ? l.qty - 1 : l.qty })) } };
      case 'awaiting_difference':
        return { token: admin, path: 'difference', body: { decision: 'approve', reason: '演练：差异属实' } };
      case 'reverse_requested':
        return { token: admin, path: 'reverse-decision', body: { decision: 'approve' } };
      default:
        return null;
    }
  };

  const step = async (no: string) => {
    const read = await desk.request(warehouse, 'GET', `/stock/transfers/${no}`);
    if (read?.status !== 200) return;
    const stage = String(read.body.stage);
    stages.set(no, stage);
    const lines = (read.body.lines as Array<{ skuCode: string; qty: number }> | undefined) ?? [];
    const next = nextDecision(stage, planOf.get(no) ?? 'full', lines);
    if (!next) return;
    const answer = await desk.decide(next.token, 'POST', `/stock/transfers/${no}/${next.path}`, { actionId: randomUUID(), expectedVersion: Number(read.body.version), ...next.body });
    if (answer?.status === 200) {
      stages.set(no, String(answer.body.stage));
      desk.decided(`transfer:${next.path}`, [no]);
    } else if (answer) desk.refused(no, errorMessage(answer));
  };

  return {
    async pass() {
      const now = Date.now();
      const next = pending.find((id) => desk.isFree(id, now));
      if (next && desk.running('transfers') < 2) desk.launch('transfers', [next], () => create(next));
      for (const [no, stage] of stages) {
        if (FINAL.includes(stage) || !desk.isFree(no, now)) continue;
        desk.launch('transfers', [no], () => step(no));
      }
    },
    ended: () => pending.length === 0 && [...stages.values()].every((s) => FINAL.includes(s)),
    summary() {
      const count = (values: Iterable<string>) => {
        const out: Record<string, number> = {};
        for (const v of values) out[v] = (out[v] ?? 0) + 1;
        return out;
      };
      return { created: stages.size, stages: count(stages.values()), plans: count(planOf.values()) };
    },
    planned: () => [...planOf].map(([transferNo, plan]) => ({ transferNo, plan })),
  };
}
