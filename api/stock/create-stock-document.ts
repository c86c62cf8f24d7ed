/**
 * Creates 入库单/出库单 and 盘点 count sheets: checks the warehouse and lines, numbers the record of the day and writes
 * its row with the creation's action id before starting its workflow once, so a creation sent twice makes one record.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { StockDocument, Stocktake, Warehouse } from '../../db/entities';
import type { StockQuality } from '../../domain/after-sale';
import type { Actor } from '../../domain/roles';
import { docLinesProblem, STOCK_DOC_REASONS, type StockDocDirection, type StockDocSnapshot, type StocktakeSnapshot } from '../../domain/stock-document';
import type { StockDocumentInput, StocktakeInput } from '../../workflows/stock-document-messages';
import { shanghaiToday } from '../format-time';
import { startWorkflowOnce } from '../orders/start-workflow-once';
import { workflowErrorMessage } from '../workflow-error';
import { resolveSkuLines, type StockDeps } from './create-transfer';

const NO_DIGITS = 4;
const NUMBER_ATTEMPTS = 20;

export type CreateOutcome = { ok: true; no: string; repeated: boolean } | { ok: false; status: 400 | 409 | 503; message: string; no?: string };

/** Writes a record under the next free number of the day (prefix + yyyyMMdd-NNNN), trying the next one when another took it. */
async function numbered(deps: StockDeps, prefix: string, write: (tx: EntityManager, no: string) => Promise<void>, findSame: () => Promise<string | null>, atLeast = 1): Promise<{ no: string } | { problem: string } | { same: string }> {
  const full = `${prefix}${shanghaiToday().replace(/-/g, '')}-`;
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    try {
      return await deps.db.em().fork().transactional(async (tx) => {
        const table = prefix === 'PD' ? 'stocktake' : 'stock_document';
        const column = prefix === 'PD' ? 'stocktake_no' : 'doc_no';
        const [last] = await tx.getConnection().execute<Array<{ no: string | null }>>(`SELECT MAX(${column}) AS no FROM ${table} WHERE ${column} LIKE ?`, [`${full}%`], 'all', tx.getTransactionContext());
        const n = Math.max((last?.no ? Number(last.no.slice(full.length)) : 0) + 1, atLeast) + attempt;
        if (n >= 10 ** NO_DIGITS) return { problem: '今天的单号已用完' };
        const no = `${full}${String(n).padStart(NO_DIGITS, '0')}`;
        await write(tx, no);
        return { no };
      });
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      const same = await findSame();
      if (same) return { same };
    }
  }
  return { problem: '单号繁忙，请重试' };
}

/** Said by start when a freshly numbered record found a workflow of that number already there. */
const NUMBER_USED = { ok: false, status: 409, message: '单号繁忙，请重试' } as const;

async function start(deps: StockDeps, workflowType: string, workflowId: string, no: string, args: unknown[], repeated: boolean): Promise<CreateOutcome> {
  try {
    const started = await startWorkflowOnce(deps.temporal, workflowType, { workflowId, taskQueue: deps.taskQueue, args });
    // A new number whose workflow exists already was used by a database that has forgotten it (restored, or another
    // test's on a shared server): that record is someone else's, so this one takes another number.
    if (started.repeated && !repeated) return NUMBER_USED;
    return { ok: true, no, repeated: repeated || started.repeated };
  } catch (err) {
    return { ok: false, status: 503, message: `${no} 已保存，但流程未能启动：${workflowErrorMessage(err, 'zh-CN')}`, no };
  }
}

const actorOf = (actor: Actor, username: string): Actor => (actor.username === username ? actor : { username, displayName: username, roles: [] });

function docInput(s: StockDocSnapshot, actor: Actor): StockDocumentInput {
  return { docNo: s.docNo, direction: s.direction, reason: s.reason, warehouseCode: s.warehouseCode, quality: s.quality, memo: s.memo, lines: s.lines, createdBy: actorOf(actor, s.createdBy), createdAt: s.createdAt };
}

async function activeWarehouse(em: EntityManager, code: string): Promise<boolean> {
  return (await em.count(Warehouse, { code, active: true })) > 0;
}

export async function createStockDocument(deps: StockDeps, actor: Actor, input: {
  actionId: string; direction: StockDocDirection; reason: string; warehouseCode: string; quality: StockQuality; memo: string; lines: Array<{ code: string; qty: number }>;
}, atLeast = 1): Promise<CreateOutcome> {
  const em = deps.db.em().fork();
  const existing = await em.findOne(StockDocument, { createActionId: input.actionId });
  if (existing?.snapshot) return start(deps, 'stockDocumentWorkflow', existing.workflowId, existing.docNo, [docInput(existing.snapshot, actor)], true);
  if (!STOCK_DOC_REASONS[input.direction]?.includes(input.reason)) return { ok: false, status: 400, message: '请选择单据类型' };
  if (!(await activeWarehouse(em, input.warehouseCode))) return { ok: false, status: 400, message: `仓库 ${input.warehouseCode} 不存在或已停用` };
  const resolved = await resolveSkuLines(em, input.lines);
  if ('problem' in resolved) return { ok: false, status: 400, message: resolved.problem };
  const lines = resolved.lines.map((l) => ({ skuCode: l.sku.code, title: l.sku.name, qty: l.qty }));
  const problem = docLinesProblem(lines);
  if (problem) return { ok: false, status: 400, message: problem };
  const createdAt = new Date();
  let snapshot: StockDocSnapshot | null = null;
  const written = await numbered(deps, input.direction === 'in' ? 'RK' : 'CK', async (tx, docNo) => {
    snapshot = {
      docNo, workflowId: `stockdoc:${docNo}`, direction: input.direction, reason: input.reason, stage: 'draft', version: 0, warehouseCode: input.warehouseCode,
      quality: input.quality, memo: input.memo.trim().slice(0, 255), lines, approvedBy: '', approvedAt: null, cancelledReason: '', notifiedOrders: [], alert: '',
      createdBy: actor.username, createdAt: createdAt.toISOString(),
    };
    tx.create(StockDocument, {
      docNo, workflowId: snapshot.workflowId, direction: input.direction, reason: input.reason, stage: 'draft', version: 0, warehouseCode: input.warehouseCode,
      quality: input.quality, memo: snapshot.memo, itemCount: lines.reduce((n, l) => n + l.qty, 0), snapshot, createActionId: input.actionId,
      createdBy: actor.username, createdAt, updatedAt: createdAt,
    });
    await tx.flush();
  }, async () => (await deps.db.em().fork().findOne(StockDocument, { createActionId: input.actionId }))?.docNo ?? null, atLeast);
  if ('problem' in written) return { ok: false, status: 409, message: written.problem };
  if ('same' in written) return createStockDocument(deps, actor, input);
  const s = snapshot as unknown as StockDocSnapshot;
  const started = await start(deps, 'stockDocumentWorkflow', s.workflowId, s.docNo, [docInput(s, actor)], false);
  if (started !== NUMBER_USED) return started;
  await deps.db.em().fork().nativeDelete(StockDocument, { docNo: s.docNo, createActionId: input.actionId });
  return createStockDocument(deps, actor, input, Number(s.docNo.slice(-NO_DIGITS)) + 1);
}

export async function createStocktake(deps: StockDeps, actor: Actor, input: { actionId: string; warehouseCode: string; quality: StockQuality; memo: string }, atLeast = 1): Promise<CreateOutcome> {
  const em = deps.db.em().fork();
  const toInput = (s: StocktakeSnapshot): StocktakeInput => ({ stocktakeNo: s.stocktakeNo, warehouseCode: s.warehouseCode, quality: s.quality, memo: s.memo, createdBy: actorOf(actor, s.createdBy), createdAt: s.createdAt });
  const existing = await em.findOne(Stocktake, { createActionId: input.actionId });
  if (existing?.snapshot) return start(deps, 'stocktakeWorkflow', existing.workflowId, existing.stocktakeNo, [toInput(existing.snapshot)], true);
  if (!(await activeWarehouse(em, input.warehouseCode))) return { ok: false, status: 400, message: `仓库 ${input.warehouseCode} 不存在或已停用` };
  const createdAt = new Date();
  let snapshot: StocktakeSnapshot | null = null;
  const written = await numbered(deps, 'PD', async (tx, no) => {
    snapshot = {
      stocktakeNo: no, workflowId: `stocktake:${no}`, stage: 'counting', version: 0, warehouseCode: input.warehouseCode, quality: input.quality, ledgerWatermark: 0,
      memo: input.memo.trim().slice(0, 255), lines: [], countedBy: [], submittedBy: '', approvedBy: '', approvedAt: null, cancelledReason: '', alert: '',
      createdBy: actor.username, createdAt: createdAt.toISOString(),
    };
    tx.create(Stocktake, { stocktakeNo: no, workflowId: snapshot.workflowId, stage: 'counting', version: 0, warehouseCode: input.warehouseCode, quality: input.quality, snapshot, createActionId: input.actionId, createdBy: actor.username, createdAt, updatedAt: createdAt });
    await tx.flush();
  }, async () => (await deps.db.em().fork().findOne(Stocktake, { createActionId: input.actionId }))?.stocktakeNo ?? null, atLeast);
  if ('problem' in written) return { ok: false, status: 409, message: written.problem };
  if ('same' in written) return createStocktake(deps, actor, input);
  const s = snapshot as unknown as StocktakeSnapshot;
  const started = await start(deps, 'stocktakeWorkflow', s.workflowId, s.stocktakeNo, [toInput(s)], false);
  if (started !== NUMBER_USED) return started;
  await deps.db.em().fork().nativeDelete(Stocktake, { stocktakeNo: s.stocktakeNo, createActionId: input.actionId });
  return createStocktake(deps, actor, input, Number(s.stocktakeNo.slice(-NO_DIGITS)) + 1);
}
