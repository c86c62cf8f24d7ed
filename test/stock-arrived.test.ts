/**
 * 缺货 re-check on the real Temporal server and database: a stock-in hands what came in to the orders waiting for it,
 * oldest paid first, and wakes only those whose whole need it covers; each loses its 缺货 reason (audited, shown on the
 * order page in words) and can be approved, while the rest keep waiting for the next stock-in.
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { verifyStock } from '../activities/stock-verify';
import { createApp } from '../api/app';
import type { AppEnv } from '../api/env';
import { createStockDocument } from '../api/stock/create-stock-document';
import { AuditEvent, Order, Sku, StockLevel } from '../db/entities';
import { DEMO_PASSWORD } from '../db/seeders/demo-data';
import { isoToTaobaoTime } from '../domain/taobao';
import type { SandboxTrade } from '../integrations/sandbox/sandbox-state';
import { approveStockDocUpdate, stockDocStateQuery } from '../workflows/stock-document-messages';
import { isPlainTrade, orderDriver } from './helpers/order-driver';
import { eventually, startStack, type Stack } from './helpers/stack';
import { transferActors } from './helpers/transfer-driver';
import { loginAgent } from './web/web-fixture';

let stack: Stack;
let app: Hono<AppEnv>;

beforeAll(async () => {
  stack = await startStack({ seed: 211, realPasswords: true });
  app = createApp({
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  });
});
afterAll(() => stack?.close());

const deps = () => ({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue });
const level = (skuCode: string) => stack.db.em().fork().findOneOrFail(StockLevel, { skuCode, warehouseCode: 'MAIN', quality: 'good' });
const row = (id: string) => stack.db.em().fork().findOneOrFail(Order, { id });

/** An approved 入库单/出库单 of MAIN's good stock; returns its number and the workflow's answer. */
async function approvedDocument(direction: 'in' | 'out', skuCode: string, qty: number) {
  const r = await createStockDocument(deps(), transferActors.warehouse, { actionId: randomUUID(), direction, reason: direction === 'in' ? 'purchase' : 'loss', warehouseCode: 'MAIN', quality: 'good', memo: '', lines: [{ code: skuCode, qty }] });
  if (!r.ok) throw new Error(r.message);
  const h = stack.client.workflow.getHandle(`stockdoc:${r.no}`);
  const answer = await h.executeUpdate(approveStockDocUpdate, { args: [{ actor: transferActors.warehouse, expectedVersion: (await h.query(stockDocStateQuery)).version }] });
  expect(answer.ok).toBe(true);
  return { no: r.no, answer, notified: (await h.query(stockDocStateQuery)).notifiedOrders };
}

/** A plain trade rewritten to buy `qty` of one SKU, paid `paidMinutesAgo`, handed to intake; resolves with its order id in review. */
async function orderFor(skuCode: string, qty: number, paidMinutesAgo: number): Promise<string> {
  const drive = orderDriver(stack);
  const trade: SandboxTrade = drive.placeTrade((t) => isPlainTrade(t) && t.orders.order.length === 1);
  const [line] = trade.orders.order;
  Object.assign(line!, { outer_sku_id: skuCode, outer_iid: skuCode, num: qty });
  trade.pay_time = isoToTaobaoTime(new Date(Date.now() - paidMinutesAgo * 60_000));
  return drive.submit(trade, ['review']);
}

describe('a stock-in and the orders waiting for it (缺货)', () => {
  it('frees the older paid order when the stock covers one, keeps the newer waiting, and frees the newer with the next stock-in', async () => {
    const [sku] = (await stack.db.em().fork().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' } })).map((s) => s.code);
    const x = sku!;
    // Empty the shelf, so both orders come out of auto-review short of X.
    const start = await level(x);
    await approvedDocument('out', x, start.onHand - start.reserved);
    const newer = await orderFor(x, 2, 30);
    const older = await orderFor(x, 2, 90);
    for (const id of [older, newer]) expect((await row(id)).reviewReasons).toContain(`缺货: ${x}`);

    // 3 units come in: enough for the older order's 2, not for both; the newer order is not woken.
    const first = await approvedDocument('in', x, 3);
    expect(first.notified).toEqual([older]);
    expect(first.answer.message).toContain('已通知 1 个缺货订单');
    await eventually(async () => !(await row(older)).reviewReasons.includes('缺货'), `${older} to lose its 缺货 reason`);
    expect((await row(newer)).reviewReasons).toContain(`缺货: ${x}`);
    const audit = await stack.db.em().fork().findOneOrFail(AuditEvent, { entityId: older, action: 'stock_arrived' });
    expect(audit).toMatchObject({ actor: 'system', reason: `入库单 ${first.no} 到货，缺货已解除` });

    // The order page names the step in words.
    const reviewer = await loginAgent((p, init) => Promise.resolve(app.request(p, init)), 'shendan', DEMO_PASSWORD);
    const page = await (await reviewer.get(`/orders/${encodeURIComponent(older)}`)).text();
    expect(page).toContain('缺货到货');
    expect(page).toContain(`入库单 ${first.no} 到货，缺货已解除`);

    const approved = await orderDriver(stack).approve(older);
    expect(approved.ok).toBe(true);
    expect((await level(x)).onHand - (await level(x)).reserved).toBe(1);

    // The newer order still waits: 1 unit is not its 2. The next stock-in covers it.
    const second = await approvedDocument('in', x, 1);
    expect(second.notified).toEqual([newer]);
    await eventually(async () => !(await row(newer)).reviewReasons.includes('缺货'), `${newer} to lose its 缺货 reason`);
    expect((await orderDriver(stack).approve(newer)).ok).toBe(true);
    expect((await level(x)).onHand - (await level(x)).reserved).toBe(0);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });

  it('does not wake an order for a bundle until every component it lacks is covered', async () => {
    const em = stack.db.em().fork();
    const bundle = await em.findOneOrFail(Sku, { isBundle: true }, { orderBy: { code: 'asc' } });
    const parts = await em.getConnection().execute<Array<{ component_sku_code: string; qty: number }>>(
      'SELECT component_sku_code, qty FROM bundle_component WHERE bundle_sku_code = ? ORDER BY component_sku_code', [bundle.code], 'all');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      const l = await level(p.component_sku_code);
      if (l.onHand - l.reserved > 0) await approvedDocument('out', p.component_sku_code, l.onHand - l.reserved);
    }
    const id = await orderFor(bundle.code, 1, 45);
    expect((await row(id)).reviewReasons).toContain('缺货');

    // One component arrives: the order still lacks the others, so it is not told.
    const [a, ...rest] = parts;
    expect((await approvedDocument('in', a!.component_sku_code, Number(a!.qty))).notified).toEqual([]);
    expect((await row(id)).reviewReasons).toContain('缺货');
    let last: Awaited<ReturnType<typeof approvedDocument>> | undefined;
    for (const p of rest) last = await approvedDocument('in', p.component_sku_code, Number(p.qty));
    expect(last!.notified).toEqual([id]);
    await eventually(async () => !(await row(id)).reviewReasons.includes('缺货'), `${id} to lose its 缺货 reason`);
    expect((await orderDriver(stack).approve(id)).ok).toBe(true);
  });
});
