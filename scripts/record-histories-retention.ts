/**
 * The retention path for `npm run histories:record` (see record-histories.ts): old print PDFs, the verbatim JSON of a
 * long-finished order and old access-log rows are purged in batches of two (so every loop turns more than once),
 * while newer ones stay, and the purge writes its audit row. Also used by test/privacy-retention.test.ts to seed.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Order, PiiAccessLog, PlatformOrder, PrintBatch } from '../db/entities';
import type { Db } from '../db/orm';
import { saveRetention } from '../db/retention-settings';
import { actors } from '../test/helpers/stack';
import type { RetentionPurgeResult } from '../workflows/retention-purge';

const DAY_MS = 24 * 3600_000;

export interface RetentionSeed {
  oldBatchIds: string[];
  newBatchIds: string[];
  oldPlatformOrderIds: number[];
  keptPlatformOrderIds: number[];
  oldLogIds: number[];
  newLogIds: number[];
}

/**
 * Seeds what a purge with periods 30 / 90 / 365 days must and must not touch: three PDFs from 40 days ago and one from
 * today; a platform order whose order was done 100 days ago, one never submitted and as old, one whose order finished
 * only 10 days ago and one whose order is still open; three access-log rows from 400 days ago and one from today.
 */
export async function seedRetention(db: Db, tag = randomUUID().slice(0, 8)): Promise<RetentionSeed> {
  const em = db.em();
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY_MS);
  const pdf = Buffer.from('%PDF-1.4 seeded');
  const batch = (id: string, at: Date) => em.create(PrintBatch, { id, kinds: 'waybill', createdBy: 'cangku', createdAt: at, pdf, pageCount: 1 });
  const oldBatchIds = [1, 2, 3].map((i) => batch(`PRET${tag}O${i}`, ago(40)).id);
  const newBatchIds = [batch(`PRET${tag}N1`, new Date()).id];
  const raw = (no: string) => JSON.stringify({ tid: no, receiver_name: '王小明', receiver_mobile: '13800138000', receiver_address: '文三路100号' });
  const platformOrder = (no: string, submitted: boolean, at: Date) => em.create(PlatformOrder, { shopCode: 'ret', platformOrderNo: no, platformStatus: 'TRADE_FINISHED', modifiedAt: at, raw: raw(no), submitted, receivedAt: at, updatedAt: at });
  const order = (no: string, status: Order['status'], at: Date) => em.create(Order, { id: `order:ret:${no}`, status, shopCode: 'ret', platformOrderNo: no, buyerMessage: '', sellerMemo: '', createdAt: at, updatedAt: at });
  const doneOld = platformOrder(`R${tag}1`, true, ago(100));
  order(`R${tag}1`, 'done', ago(100));
  const neverSubmitted = platformOrder(`R${tag}2`, false, ago(100));
  const doneRecently = platformOrder(`R${tag}3`, true, ago(100));
  order(`R${tag}3`, 'done', ago(10));
  const open = platformOrder(`R${tag}4`, true, ago(100));
  order(`R${tag}4`, 'shipped', ago(100));
  const log = (at: Date) => em.create(PiiAccessLog, { username: 'shendan', action: 'view', via: 'page', orderIds: `order:ret:R${tag}1`, description: 'seeded', at });
  const oldLogs = [log(ago(400)), log(ago(400)), log(ago(400))];
  const newLogs = [log(new Date())];
  await em.flush();
  await saveRetention(db.em(), actors.admin, { printPdfDays: 30, platformOrderDays: 90, accessLogDays: 365 });
  return {
    oldBatchIds,
    newBatchIds,
    oldPlatformOrderIds: [doneOld.id, neverSubmitted.id],
    keptPlatformOrderIds: [doneRecently.id, open.id],
    oldLogIds: oldLogs.map((l) => l.id),
    newLogIds: newLogs.map((l) => l.id),
  };
}

export async function runRetentionPurge(client: Client, taskQueue: string, batchSize = 2): Promise<{ workflowId: string; result: RetentionPurgeResult }> {
  const workflowId = `retention-purge:${randomUUID()}`;
  const result = await client.workflow.execute('retentionPurgeWorkflow', { taskQueue, workflowId, args: [{ batchSize }] });
  return { workflowId, result: result as RetentionPurgeResult };
}

export interface RetentionScenario {
  name: string;
  run(stack: { db: Db; client: Client; taskQueue: string }): Promise<Array<{ workflowType: 'retentionPurgeWorkflow'; path: string; workflowId: string }>>;
}

export const RETENTION_SCENARIOS: RetentionScenario[] = [
  {
    name: 'purges-in-batches',
    async run(stack) {
      await seedRetention(stack.db);
      const { workflowId, result } = await runRetentionPurge(stack.client, stack.taskQueue);
      if (result.pdfs < 3 || result.platformOrders < 2 || result.accessLogs < 3) throw new Error(`the path did not go as planned: purged ${JSON.stringify(result)}`);
      return [{ workflowType: 'retentionPurgeWorkflow', path: 'purges-in-batches', workflowId }];
    },
  },
];
