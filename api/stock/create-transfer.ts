/**
 * Creates a stock transfer (调拨单): checks the warehouses and lines (scanned barcodes or 商家编码, no bundles), numbers
 * it and writes its row with the creation's action id before starting its workflow once, so a creation sent twice
 * makes one transfer and a start that failed is made good by sending it again.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import { Sku, StockTransfer, StockTransferLine, Warehouse } from '../../db/entities';
import type { Db } from '../../db/orm';
import type { StockQuality } from '../../domain/after-sale';
import type { Actor } from '../../domain/roles';
import { transferProblem, type TransferCostBasis } from '../../domain/stock-transfer';
import type { StockTransferInput } from '../../workflows/stock-transfer-messages';
import { initialTransferSnapshot } from '../../workflows/stock-transfer-state';
import { shanghaiToday } from '../format-time';
import { startWorkflowOnce } from '../orders/start-workflow-once';
import { workflowErrorMessage } from '../workflow-error';

/** Transfer numbers are DB<day>-<4 digits> (调拨): ten thousand a day. */
const NO_DIGITS = 4;
const NUMBER_ATTEMPTS = 20;

export interface CreateTransferInput {
  actionId: string;
  fromWarehouseCode: string;
  toWarehouseCode: string;
  quality: StockQuality;
  costBasis: TransferCostBasis;
  memo: string;
  /** `code` is a 商家编码 or a scanned barcode; a code given twice adds up. */
  lines: Array<{ code: string; qty: number; costFen?: number }>;
}

export interface StockDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export type CreateTransferOutcome =
  | { ok: true; transferNo: string; workflowId: string; repeated: boolean }
  | { ok: false; status: 400 | 409 | 503; message: string; transferNo?: string };

export const transferWorkflowId = (transferNo: string) => `transfer:${transferNo}`;

/** Resolves codes (商家编码 or barcode) to SKUs, adding up a code scanned several times; the reason when one is unknown or a bundle. */
export async function resolveSkuLines<T extends { code: string; qty: number }>(em: EntityManager, lines: readonly T[]): Promise<{ lines: Array<T & { sku: Sku }> } | { problem: string }> {
  const codes = [...new Set(lines.map((l) => l.code.trim()).filter(Boolean))];
  const found = codes.length ? await em.find(Sku, { $or: [{ code: { $in: codes } }, { barcode: { $in: codes } }] }) : [];
  const out = new Map<string, T & { sku: Sku }>();
  for (const l of lines) {
    const code = l.code.trim();
    if (!code) continue;
    const sku = found.find((s) => s.code === code) ?? found.find((s) => s.barcode === code);
    if (!sku) return { problem: `没有编码或条码为 ${code} 的商品` };
    if (sku.isBundle) return { problem: `${sku.code} 是组合装，请按组件商品填写` };
    const have = out.get(sku.code);
    if (have) have.qty += l.qty;
    else out.set(sku.code, { ...l, code: sku.code, sku });
  }
  return { lines: [...out.values()] };
}

export async function createTransfer(deps: StockDeps, actor: Actor, input: CreateTransferInput): Promise<CreateTransferOutcome> {
  const em = deps.db.em().fork();
  const existing = await em.findOne(StockTransfer, { createActionId: input.actionId });
  if (existing) return answerOf(await start(deps, existing, true));

  const resolved = await resolveSkuLines(em, input.lines);
  if ('problem' in resolved) return { ok: false, status: 400, message: resolved.problem };
  const lines = resolved.lines.map((l) => ({ skuCode: l.sku.code, title: l.sku.name, spec: l.sku.spec, qty: l.qty, costFen: input.costBasis === 'other' ? l.costFen ?? 0 : 0 }));
  const problem = transferProblem({ ...input, lines });
  if (problem) return { ok: false, status: 400, message: problem };
  if (input.quality !== 'good' && input.quality !== 'defective') return { ok: false, status: 400, message: '请选择良品或次品' };
  const warehouses = await em.find(Warehouse, { code: { $in: [input.fromWarehouseCode, input.toWarehouseCode] }, active: true });
  for (const code of [input.fromWarehouseCode, input.toWarehouseCode]) {
    if (!warehouses.some((w) => w.code === code)) return { ok: false, status: 400, message: `仓库 ${code} 不存在或已停用` };
  }

  const createdAt = new Date();
  const prefix = `DB${shanghaiToday(createdAt).replace(/-/g, '')}-`;
  let atLeast = 1;
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    try {
      const row = await deps.db.em().fork().transactional(async (tx) => {
        const last = await tx.findOne(StockTransfer, { transferNo: { $like: `${prefix}%` } }, { orderBy: { transferNo: 'desc' }, fields: ['transferNo'] });
        const n = Math.max((last ? Number(last.transferNo.slice(prefix.length)) : 0) + 1, atLeast);
        if (n >= 10 ** NO_DIGITS) return null;
        const transferNo = `${prefix}${String(n).padStart(NO_DIGITS, '0')}`;
        const wfInput: StockTransferInput = {
          transferNo, fromWarehouseCode: input.fromWarehouseCode, toWarehouseCode: input.toWarehouseCode, quality: input.quality,
          costBasis: input.costBasis, memo: input.memo.trim().slice(0, 255), lines, createdBy: actor, createdAt: createdAt.toISOString(),
        };
        // Version 0: the workflow's first write (version 1) replaces it; until then the row shows what was created.
        const snapshot = { ...initialTransferSnapshot(wfInput, transferWorkflowId(transferNo)), version: 0 };
        const created = tx.create(StockTransfer, {
          transferNo, workflowId: transferWorkflowId(transferNo), stage: 'created', version: 0, fromWarehouseCode: input.fromWarehouseCode,
          toWarehouseCode: input.toWarehouseCode, quality: input.quality, costBasis: input.costBasis, memo: wfInput.memo,
          itemCount: lines.reduce((s, l) => s + l.qty, 0), snapshot, createActionId: input.actionId, createdBy: actor.username, createdAt, updatedAt: createdAt,
        });
        for (const l of lines) tx.create(StockTransferLine, { transferNo, skuCode: l.skuCode, qty: l.qty, costFen: l.costFen });
        await tx.flush();
        return created;
      });
      if (!row) return { ok: false, status: 409, message: '今天的调拨单号已用完' };
      const started = await start(deps, row, false, actor);
      if (started !== NUMBER_USED) return started;
      await deps.db.em().fork().transactional(async (tx) => {
        await tx.nativeDelete(StockTransferLine, { transferNo: row.transferNo });
        await tx.nativeDelete(StockTransfer, { transferNo: row.transferNo, createActionId: input.actionId });
      });
      atLeast = Number(row.transferNo.slice(prefix.length)) + 1;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // The same creation won a race with itself (double click): answer with the transfer it made.
      const same = await deps.db.em().fork().findOne(StockTransfer, { createActionId: input.actionId });
      if (same) return answerOf(await start(deps, same, true));
    }
  }
  return { ok: false, status: 409, message: '调拨单号繁忙，请重试' };
}

/** Said by start when a freshly numbered transfer found a workflow of that number already there. */
const NUMBER_USED = { ok: false, status: 409, message: '' } as const;

/** start's answer for a transfer that already had its number (a resend), which never reports the number used. */
function answerOf(outcome: CreateTransferOutcome | typeof NUMBER_USED): CreateTransferOutcome {
  return outcome === NUMBER_USED ? { ok: false, status: 409, message: '调拨单号繁忙，请重试' } : outcome;
}

async function start(deps: StockDeps, row: StockTransfer, repeated: boolean, actor?: Actor): Promise<CreateTransferOutcome | typeof NUMBER_USED> {
  const s = row.snapshot;
  if (!s) return { ok: false, status: 409, message: `调拨单 ${row.transferNo} 无法启动`, transferNo: row.transferNo };
  const input: StockTransferInput = {
    transferNo: s.transferNo, fromWarehouseCode: s.fromWarehouseCode, toWarehouseCode: s.toWarehouseCode, quality: s.quality, costBasis: s.costBasis,
    memo: s.memo, lines: s.lines.map(({ receivedQty: _r, ...l }) => l),
    createdBy: actor?.username === s.createdBy ? actor : { username: s.createdBy, displayName: s.createdBy, roles: [] }, createdAt: s.createdAt,
  };
  try {
    const started = await startWorkflowOnce(deps.temporal, 'stockTransferWorkflow', { workflowId: row.workflowId, taskQueue: deps.taskQueue, args: [input] });
    // A new number whose workflow exists already was used by a database that has forgotten it (restored, or another
    // test's on a shared server): that transfer is someone else's, so this one takes another number.
    if (started.repeated && !repeated) return NUMBER_USED;
    return { ok: true, transferNo: row.transferNo, workflowId: row.workflowId, repeated: repeated || started.repeated };
  } catch (err) {
    // The row stays: the same creation sent again finds it and starts the workflow then.
    return { ok: false, status: 503, message: `调拨单 ${row.transferNo} 已保存，但流程未能启动：${workflowErrorMessage(err, 'zh-CN')}`, transferNo: row.transferNo };
  }
}
