/**
 * The drill's transfer desk: the warehouse moves stock from MAIN to the returns warehouse through /api/v1 while the
 * worker, the web process and Temporal are killed — each transfer created once per action id, some cancelled before
 * outbound, the rest approved out and in — so the stock check afterwards covers transfers in every stage, and a
 * transfer that lost its answer is looked at again rather than moved twice.
 */
import { randomUUID } from 'node:crypto';
import type { SeededRandom } from '../../integrations/sandbox/seeded-random';
import { errorMessage, type DrillDesk } from './drill-desk';
import type { DrillStack } from './drill-stack';

const FINAL = ['done', 'cancelled', 'reversed'];
const CANCEL_SHARE = 0.15;

export interface DrillTransfers {
  /** Creates the next transfer when it is time, and moves each open one a step; never waits for a step to finish. */
  pass(): Promise<void>;
  ended(): boolean;
  summary(): { created: number; stages: Record<string, number> };
}

export function createDrillTransfers(options: { stack: Pick<DrillStack, 'tokens'>; desk: DrillDesk; rng: SeededRandom; count: number }): DrillTransfers {
  const { desk, rng } = options;
  const token = options.stack.tokens.warehouse;
  /** Action ids of creations, fixed when first tried, so a resend after a lost answer creates nothing new. */
  const pending: string[] = Array.from({ length: options.count }, () => randomUUID());
  const stages = new Map<string, string>();
  let skus: string[] = [];

  const create = async (actionId: string) => {
    if (!skus.length) {
      const levels = await desk.request(token, 'GET', '/stock/levels?warehouse=MAIN&size=200');
      skus = ((levels?.body.items as Array<{ skuCode: string; available: number }> | undefined) ?? []).filter((l) => l.available > 20).map((l) => l.skuCode);
      if (!skus.length) return;
    }
    const lines = [{ code: rng.pick(skus), qty: rng.int(1, 3) }];
    const answer = await desk.decide(token, 'POST', '/stock/transfers', { actionId, fromWarehouseCode: 'MAIN', toWarehouseCode: 'RET', lines, memo: '演练调拨' });
    if (answer?.status === 201) {
      stages.set(String(answer.body.transferNo), 'created');
      pending.splice(pending.indexOf(actionId), 1);
      desk.decided('transfer:create', [actionId]);
    } else if (answer) desk.refused(actionId, errorMessage(answer));
  };

  const step = async (no: string) => {
    const read = await desk.request(token, 'GET', `/stock/transfers/${no}`);
    if (read?.status !== 200) return;
    const stage = String(read.body.stage);
    const version = Number(read.body.version);
    stages.set(no, stage);
    const lines = (read.body.lines as Array<{ skuCode: string; qty: number }> | undefined) ?? [];
    const base = { actionId: randomUUID(), expectedVersion: version };
    let path: string;
    let body: Record<string, unknown>;
    if (stage === 'created') {
      const cancel = rng.chance(CANCEL_SHARE);
      path = cancel ? 'cancel' : 'outbound';
      body = cancel ? { ...base, reason: '演练取消' } : base;
    } else if (stage === 'in_transit') {
      path = 'inbound';
      body = { ...base, received: lines.map((l) => ({ skuCode: l.skuCode, qty: l.qty })) };
    } else return;
    const answer = await desk.decide(token, 'POST', `/stock/transfers/${no}/${path}`, body);
    if (answer?.status === 200) {
      stages.set(no, String(answer.body.stage));
      desk.decided(`transfer:${path}`, [no]);
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
      const count: Record<string, number> = {};
      for (const s of stages.values()) count[s] = (count[s] ?? 0) + 1;
      return { created: stages.size, stages: count };
    },
  };
}
