/**
 * 数据保留: the retention-purge workflow on the real Temporal server and database removes what has outlived its period
 * (print PDFs, finished orders' verbatim platform JSON, access-log rows) in batches, keeps what is newer or still
 * open, and writes one audit row with its counts; the schedule that runs it daily is created at start-up.
 */
import { AuditEvent, PiiAccessLog, PlatformOrder, PrintBatch } from '../db/entities';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../api/privacy/retention-schedule';
import { CLEARED_RAW } from '../activities/retention';
import { runRetentionPurge, seedRetention } from '../scripts/record-histories-retention';
import { startStack, type Stack } from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

describe('the retention purge', () => {
  it('removes old PDFs, clears finished platform orders and deletes old access-log rows in batches, keeping newer ones, and logs the purge', async () => {
    const seed = await seedRetention(stack.db);
    const { workflowId, result } = await runRetentionPurge(stack.client, stack.taskQueue, 2);
    expect(result).toEqual({ pdfs: 3, platformOrders: 2, accessLogs: 3 });

    const em = stack.db.em();
    const batches = await em.find(PrintBatch, { id: { $in: [...seed.oldBatchIds, ...seed.newBatchIds] } }, { populate: ['pdf'] });
    const pdfOf = new Map(batches.map((b) => [b.id, b.pdf]));
    for (const id of seed.oldBatchIds) expect({ id, pdf: pdfOf.get(id) ?? null }).toEqual({ id, pdf: null });
    for (const id of seed.newBatchIds) expect(pdfOf.get(id)).toBeInstanceOf(Buffer);
    // The rows stay (numbers and keys), only the batch's PDF is gone.
    expect(batches).toHaveLength(4);

    const platform = await em.find(PlatformOrder, { id: { $in: [...seed.oldPlatformOrderIds, ...seed.keptPlatformOrderIds] } });
    const rawOf = new Map(platform.map((p) => [p.id, p]));
    for (const id of seed.oldPlatformOrderIds) {
      expect(rawOf.get(id)?.raw).toBe(CLEARED_RAW);
      expect(rawOf.get(id)?.platformOrderNo).toMatch(/^R/);
    }
    for (const id of seed.keptPlatformOrderIds) expect(rawOf.get(id)?.raw).toContain('13800138000');

    const logs = await em.find(PiiAccessLog, { id: { $in: [...seed.oldLogIds, ...seed.newLogIds] } });
    expect(logs.map((l) => l.id).sort()).toEqual([...seed.newLogIds].sort());

    const audit = await em.find(AuditEvent, { entityType: 'retention', action: 'retention_purge' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ eventKey: expect.stringContaining(workflowId) as string, after: { pdfs: 3, platformOrders: 2, accessLogs: 3 }, before: { printPdfDays: 30, platformOrderDays: 90, accessLogDays: 365 } });
    expect(audit[0]!.reason).toContain('删除 PDF 3 个');

    // A second run finds nothing left to do, and says so in its own audit row.
    const again = await runRetentionPurge(stack.client, stack.taskQueue, 2);
    expect(again.result).toEqual({ pdfs: 0, platformOrders: 0, accessLogs: 0 });
    expect(await stack.db.em().count(AuditEvent, { entityType: 'retention', action: 'retention_purge' })).toBe(2);
  });

  it('goes on in a fresh run where it stood when a backlog outgrows one history, and still counts and logs the purge once', async () => {
    await stack.db.em().nativeDelete(AuditEvent, { entityType: 'retention' });
    await seedRetention(stack.db);
    const workflowId = `retention-purge:long-${Date.now()}`;
    const result = await stack.client.workflow.execute('retentionPurgeWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [{ batchSize: 1, historyLimit: 12 }] });
    expect(result).toEqual({ pdfs: 3, platformOrders: 2, accessLogs: 3 });
    const last = await stack.client.workflow.getHandle(workflowId).describe();
    // More than one run: the latest run is not the first one.
    expect(last.runId).not.toBe(last.raw.workflowExecutionInfo?.firstRunId);
    const audit = await stack.db.em().find(AuditEvent, { entityType: 'retention', action: 'retention_purge' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toEqual({ pdfs: 3, platformOrders: 2, accessLogs: 3 });
  });

  it('is run daily by the retention-purge schedule, which start-up creates once and updates after', async () => {
    expect(await ensureRetentionSchedule(stack.client, stack.taskQueue)).toBe(RETENTION_SCHEDULE_ID);
    expect(await ensureRetentionSchedule(stack.client, stack.taskQueue)).toBe(RETENTION_SCHEDULE_ID);
    const described = await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionPurgeWorkflow', taskQueue: stack.taskQueue });
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).delete();
  });
});
