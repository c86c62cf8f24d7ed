/**
 * 退换登记, shared by the page and the JSON API: finds the order, checks the chosen lines against what the order's other
 * cases already claim, numbers the case and writes its row (with the registration's action id) before starting its
 * workflow once, so a registration sent twice opens one case and a start that failed is made good by sending it again.
 */
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import { AfterSaleCase, Order, OrderLine, orderReceiver, Shop, Sku } from '../../db/entities';
import type { Db } from '../../db/orm';
import {
  CASE_REASONS,
  caseWorkflowFor,
  linesProblem,
  paidForUnits,
  REGISTRABLE_ORDER_STATUSES,
  returnableQty,
  type CaseLine,
  type CaseOrderFacts,
  type CaseStage,
  type CaseType,
  type ReplacementLine,
} from '../../domain/after-sale';
import type { Actor } from '../../domain/roles';
import type { CaseWorkflowInput } from '../../workflows/after-sale-messages';
import { initialCaseSnapshot } from '../../workflows/after-sale-state';
import { shanghaiToday } from '../format-time';
import { translate, type Locale } from '../i18n/translate';
import { orderListQuery, orderWhere } from '../orders/order-list-query';
import { loadReferenceData } from '../orders/reference-data';
import { startWorkflowOnce } from '../orders/start-workflow-once';
import { workflowErrorMessage } from '../workflow-error';


/** Most orders a search shows; a person narrows the text rather than paging through buyers. */
const FIND_LIMIT = 20;
/** Case numbers are SH<day>-<4 digits>: ten thousand a day. */
const CASE_NO_DIGITS = 4;
const NUMBER_ATTEMPTS = 20;

export interface RegisterLineInput {
  oid: string;
  qty: number;
  /** Exchange: the SKU that goes out instead (same goods in another spec, or other goods); empty = the same SKU. */
  replacementSku?: string;
  /** Exchange: what the buyer pays per replacement unit; absent = what was paid per unit for the line (same goods) or the SKU's price. */
  replacementPriceFen?: number;
}

export interface RegisterCaseInput {
  actionId: string;
  type: CaseType;
  orderId: string;
  lines: RegisterLineInput[];
  reason: string;
  note: string;
  returnCompany?: string;
  returnWaybillNo?: string;
  /** Empty = the returns warehouse (退货仓) and the default normal warehouse. */
  returnsWarehouseCode?: string;
  sellableWarehouseCode?: string;
}

export type RegisterOutcome =
  | { ok: true; caseNo: string; workflowId: string; repeated: boolean }
  | { ok: false; status: 400 | 404 | 409 | 503; message: string; caseNo?: string };

export interface RegisterDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

/** Orders a person may mean by the text: order number, platform tid, waybill, phone exact or by prefix, buyer nick or name in part. */
export async function findOrdersForCase(em: EntityManager, text: string): Promise<Order[]> {
  const q = orderListQuery.parse({ q: text.slice(0, 100) });
  if (!q.q) return [];
  const byId = text.startsWith('order:') ? await em.find(Order, { id: text }) : [];
  if (byId.length) return byId;
  return em.find(Order, orderWhere(q, null), { orderBy: { paidAt: 'desc', id: 'asc' }, limit: FIND_LIMIT });
}

/** The order as a case sees it: receiver, lines with what was paid for them. */
export async function loadCaseOrderFacts(em: EntityManager, orderId: string): Promise<{ order: Order; facts: CaseOrderFacts } | null> {
  const order = await em.findOne(Order, { id: orderId });
  if (!order) return null;
  const lines = await em.find(OrderLine, { orderId }, { orderBy: { lineNo: 'asc' } });
  const facts: CaseOrderFacts = {
    orderId: order.id,
    shopCode: order.shopCode,
    platformOrderNo: order.platformOrderNo,
    buyerNick: order.buyerNick,
    status: order.status,
    receiver: orderReceiver(order),
    courierCode: order.courierCode,
    warehouseCode: order.warehouseCode,
    lines: lines.map((l) => ({ oid: l.oid, skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, amountFen: l.amountFen, isGift: l.isGift })),
  };
  return { order, facts };
}

/** The order's cases as the line checks need them; a registration row not yet written by its workflow carries its lines in the snapshot it was written with. */
export async function otherCasesOf(em: EntityManager, orderId: string): Promise<Array<{ caseNo: string; type: CaseType; stage: CaseStage; lines: CaseLine[] }>> {
  const rows = await em.find(AfterSaleCase, { orderId }, { orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ caseNo: r.caseNo, type: r.type, stage: r.stage, lines: r.snapshot?.lines ?? [] }));
}

/** What the registration form shows for an order: each line with the units still open to a case. */
export async function registrationView(em: EntityManager, orderId: string) {
  const loaded = await loadCaseOrderFacts(em, orderId);
  if (!loaded) return null;
  const others = await otherCasesOf(em, orderId);
  const left = returnableQty(loaded.facts, others);
  return {
    order: loaded.order,
    lines: loaded.facts.lines.map((l) => ({ ...l, returnable: Math.max(0, left.get(l.oid) ?? 0), unitPaidFen: l.qty > 0 ? Math.floor(l.amountFen / l.qty) : 0 })),
    cases: others,
  };
}

function problem(locale: Locale, key: string, params?: Record<string, unknown>): RegisterOutcome {
  return { ok: false, status: 400, message: translate(locale, key, params) };
}

/** The next free number of the day; a number taken meanwhile by another registration fails the insert and is tried again. */
async function nextCaseNo(em: EntityManager, day: string, atLeast: number): Promise<string | null> {
  const prefix = `SH${day.replace(/-/g, '')}-`;
  const last = await em.findOne(AfterSaleCase, { caseNo: { $like: `${prefix}%` } }, { orderBy: { caseNo: 'desc' }, fields: ['caseNo'] });
  const n = Math.max(last ? Number(last.caseNo.slice(prefix.length)) + 1 : 1, atLeast);
  if (n >= 10 ** CASE_NO_DIGITS) return null;
  return `${prefix}${String(n).padStart(CASE_NO_DIGITS, '0')}`;
}

async function replacementLines(em: EntityManager, type: CaseType, facts: CaseOrderFacts, lines: RegisterLineInput[], locale: Locale): Promise<ReplacementLine[] | string> {
  if (type !== 'exchange' && type !== 'reissue') return [];
  const codes = [...new Set(lines.map((l) => l.replacementSku || facts.lines.find((x) => x.oid === l.oid)?.skuCode || ''))].filter(Boolean);
  const skus = new Map((await em.find(Sku, { code: { $in: codes } })).map((s) => [s.code, s]));
  const out: ReplacementLine[] = [];
  for (const l of lines) {
    const line = facts.lines.find((x) => x.oid === l.oid);
    if (!line) continue;
    const code = (type === 'exchange' && l.replacementSku) || line.skuCode;
    const sku = skus.get(code);
    if (!sku) return translate(locale, 'rma.unknownSku', { code });
    const sameGoods = code === line.skuCode;
    // A reissue is free; an exchange for the same goods costs what was paid for them, other goods their list price.
    const priceFen = type === 'reissue' ? 0 : (l.replacementPriceFen ?? (sameGoods ? (line.qty > 0 ? Math.floor(line.amountFen / line.qty) : 0) : sku.priceFen));
    out.push({ skuCode: code, title: sameGoods ? line.title : sku.name, spec: sameGoods ? line.spec : sku.spec, qty: l.qty, priceFen });
  }
  return out;
}

/** The workflow's input as the registration row holds it, so a resent registration starts exactly what was first registered. */
async function inputFromRow(em: EntityManager, row: AfterSaleCase, actor: Actor): Promise<CaseWorkflowInput | null> {
  const s = row.snapshot;
  if (!s) return null;
  const loaded = await loadCaseOrderFacts(em, row.orderId);
  const shop = await em.findOne(Shop, { code: row.shopCode }, { fields: ['platform'] });
  const input: CaseWorkflowInput = {
    caseNo: row.caseNo,
    type: row.type,
    shopCode: row.shopCode,
    orderId: row.orderId,
    platformOrderNo: row.platformOrderNo,
    buyerNick: row.buyerNick,
    orderStatusAtOpen: s.orderStatusAtOpen,
    lines: s.lines,
    reason: s.reason,
    note: s.note,
    createdBy: actor.username === s.createdBy ? actor : { username: s.createdBy, displayName: s.createdBy, roles: [] },
    returnsWarehouseCode: s.returnsWarehouseCode,
    sellableWarehouseCode: s.sellableWarehouseCode,
  };
  if (s.returnCompany) input.returnCompany = s.returnCompany;
  if (s.returnWaybillNo) input.returnWaybillNo = s.returnWaybillNo;
  if (row.type === 'exchange' || row.type === 'reissue') {
    input.replacement = s.replacement;
    if (loaded) {
      input.childOrderBase = {
        shopCode: row.shopCode,
        platform: shop?.platform ?? '',
        platformOrderNo: row.platformOrderNo,
        buyerNick: row.buyerNick,
        receiver: loaded.facts.receiver,
      };
    }
  }
  return input;
}

/** Said by startCase when a freshly numbered case found a workflow of that number already there. */
const NUMBER_USED = { ok: false, status: 409, message: '' } as const;

async function startCase(deps: RegisterDeps, row: AfterSaleCase, actor: Actor, locale: Locale, repeated: boolean): Promise<RegisterOutcome | typeof NUMBER_USED> {
  const input = await inputFromRow(deps.db.em(), row, actor);
  if (!input) return { ok: false, status: 409, message: translate(locale, 'rma.notStartable', { no: row.caseNo }), caseNo: row.caseNo };
  const { workflowType, workflowId } = caseWorkflowFor(row.type, row.caseNo);
  try {
    const started = await startWorkflowOnce(deps.temporal, workflowType, { workflowId, taskQueue: deps.taskQueue, args: [input] });
    // A new number whose workflow exists already was used by a database that has forgotten it (restored, or another
    // test's on a shared server): that case is someone else's, so this one takes another number.
    if (started.repeated && !repeated) return NUMBER_USED;
    return { ok: true, caseNo: row.caseNo, workflowId, repeated: repeated || started.repeated };
  } catch (err) {
    // The row stays: the same registration sent again finds it and starts the workflow then.
    return { ok: false, status: 503, message: translate(locale, 'rma.startFailed', { no: row.caseNo, reason: workflowErrorMessage(err, locale) }), caseNo: row.caseNo };
  }
}

/** startCase's answer for a case that already had its number (a resend), which never reports the number used. */
function answerOf(outcome: RegisterOutcome | typeof NUMBER_USED, locale: Locale): RegisterOutcome {
  return outcome === NUMBER_USED ? { ok: false, status: 409, message: translate(locale, 'rma.numberBusy') } : outcome;
}

/** Registers a case: one case per action id, lines within what the order still has open, then its workflow started once. */
export async function registerCase(deps: RegisterDeps, actor: Actor, locale: Locale, input: RegisterCaseInput): Promise<RegisterOutcome> {
  const em = deps.db.em();
  const existing = await em.findOne(AfterSaleCase, { registerActionId: input.actionId });
  if (existing) return answerOf(await startCase(deps, existing, actor, locale, true), locale);

  if (!(CASE_REASONS as readonly string[]).includes(input.reason)) return problem(locale, 'rma.badReason');
  if (input.reason === '其他' && !input.note.trim()) return problem(locale, 'rma.noteRequired');
  const refs = await loadReferenceData(em);
  const returnsWarehouse = input.returnsWarehouseCode || refs.warehouses.find((w) => w.kind === 'returns')?.code || '';
  const sellableWarehouse = input.sellableWarehouseCode || refs.warehouses.find((w) => w.kind === 'normal')?.code || '';
  for (const code of [returnsWarehouse, sellableWarehouse]) {
    if (!refs.warehouses.some((w) => w.code === code)) return problem(locale, 'rma.unknownWarehouse', { code: code || '—' });
  }

  const loaded = await loadCaseOrderFacts(em, input.orderId);
  if (!loaded) return { ok: false, status: 404, message: translate(locale, 'order.notFound', { id: input.orderId }) };
  const { order, facts } = loaded;
  if (!REGISTRABLE_ORDER_STATUSES[input.type].includes(order.status)) {
    return problem(locale, 'rma.wrongOrderStatus', { type: translate(locale, `rma.type.${input.type}`), status: translate(locale, `status.${order.status}`) });
  }
  const replacement = await replacementLines(em, input.type, facts, input.lines, locale);
  if (typeof replacement === 'string') return { ok: false, status: 400, message: replacement };
  const shop = await em.findOne(Shop, { code: order.shopCode }, { fields: ['platform', 'returnRemindDays', 'returnCloseDays'] });

  const caseLines: CaseLine[] = input.lines.map((l) => {
    const line = facts.lines.find((x) => x.oid === l.oid);
    return { oid: l.oid, skuCode: line?.skuCode ?? '', title: line?.title ?? '', spec: line?.spec ?? '', qty: l.qty, paidFen: line ? paidForUnits(line, l.qty) : 0 };
  });
  const createdAt = new Date();
  const base: Omit<CaseWorkflowInput, 'caseNo'> = {
    type: input.type,
    shopCode: order.shopCode,
    orderId: order.id,
    platformOrderNo: order.platformOrderNo,
    buyerNick: order.buyerNick,
    orderStatusAtOpen: order.status,
    lines: caseLines,
    reason: input.reason,
    note: input.note.trim(),
    createdBy: actor,
    returnsWarehouseCode: returnsWarehouse,
    sellableWarehouseCode: sellableWarehouse,
    ...(shop ? { parcelDays: { remind: shop.returnRemindDays, close: shop.returnCloseDays } } : {}),
    ...(input.returnCompany ? { returnCompany: input.returnCompany } : {}),
    ...(input.returnWaybillNo ? { returnWaybillNo: input.returnWaybillNo } : {}),
    ...(replacement.length ? { replacement, childOrderBase: { shopCode: order.shopCode, platform: shop?.platform ?? '', platformOrderNo: order.platformOrderNo, buyerNick: order.buyerNick, receiver: facts.receiver } } : {}),
  };

  const day = shanghaiToday(createdAt);
  let atLeast = 1;
  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    try {
      const written = await deps.db.em().transactional(async (tx) => {
        // Two registrations on one order must not both take its last units: the order row is the lock (SQLite writes one at a time anyway).
        if (deps.db.settings.dialect === 'mysql') await tx.findOne(Order, { id: order.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        const linesWrong = linesProblem(input.type, facts, input.lines, await otherCasesOf(tx, order.id));
        if (linesWrong) return { problem: linesWrong };
        const caseNo = await nextCaseNo(tx, day, atLeast);
        if (!caseNo) return { problem: translate(locale, 'rma.dayFull') };
        const { workflowId } = caseWorkflowFor(input.type, caseNo);
        // Version 0: the workflow's first write (version 1) replaces it; until then the row shows what was registered.
        const snapshot = { ...initialCaseSnapshot({ ...base, caseNo }, workflowId, createdAt.toISOString()), version: 0 };
        const row = tx.create(AfterSaleCase, {
          caseNo,
          workflowId,
          type: input.type,
          stage: snapshot.stage,
          version: 0,
          shopCode: order.shopCode,
          orderId: order.id,
          platformOrderNo: order.platformOrderNo,
          buyerNick: order.buyerNick,
          reason: input.reason,
          itemCount: caseLines.reduce((s, l) => s + l.qty, 0),
          returnWaybillNo: input.returnWaybillNo ?? '',
          snapshot,
          registerActionId: input.actionId,
          createdBy: actor.username,
          createdAt,
          updatedAt: createdAt,
        });
        await tx.flush();
        return { row };
      });
      if ('problem' in written) return { ok: false, status: 409, message: written.problem ?? '' };
      const started = await startCase(deps, written.row, actor, locale, false);
      if (started !== NUMBER_USED) return started;
      await deps.db.em().nativeDelete(AfterSaleCase, { caseNo: written.row.caseNo, registerActionId: input.actionId });
      atLeast = Number(written.row.caseNo.slice(-CASE_NO_DIGITS)) + 1;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // The same registration won a race with itself (double click): answer with the case it opened.
      const same = await deps.db.em().findOne(AfterSaleCase, { registerActionId: input.actionId });
      if (same) return answerOf(await startCase(deps, same, actor, locale, true), locale);
      // Otherwise another registration took this number; take the next one.
    }
  }
  return { ok: false, status: 409, message: translate(locale, 'rma.numberBusy') };
}
