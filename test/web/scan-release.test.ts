/**
 * 扫描验货's supervisor release, through the scan page against real order workflows: a parcel whose buyer changed the
 * address after printing, and a parcel the platform cannot be asked about refunds for, are refused at the desk; only
 * an admin (ship.override) is offered the release, and a released parcel ships with the reason on the record.
 */
import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import type { AppEnv } from '../../api/env';
import { AuditEvent } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { retrySyncSignal } from '../../workflows/messages';
import { orderSteps } from '../helpers/order-steps';
import { actors, eventually, startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';

let stack: Stack;
let steps: ReturnType<typeof orderSteps>;
let app: Hono<AppEnv>;
let warehouse: Agent;
let admin: Agent;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true });
  steps = orderSteps(stack);
  app = createApp({
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
  });
  const request = (p: string, init?: RequestInit) => Promise.resolve(app.request(p, init));
  warehouse = await loginAgent(request, 'cangku', DEMO_PASSWORD);
  admin = await loginAgent(request, 'admin', DEMO_PASSWORD);
});
afterAll(async () => {
  stack?.sandbox.setFaults({ outage: false });
  await stack?.close();
});

interface Answer {
  status: number;
  html: string;
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#x27;': "'", '&#x60;': '`', '&#x3D;': '=', '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const unescape = (v: string) => v.replace(/&(?:quot|#x27|#x60|#x3D|lt|gt|amp);/g, (m) => ENTITIES[m] ?? m);

/** The hidden fields of one form in the panel (the scan form, or the release form), as a browser would send them. */
function formFields(html: string, form: 'scan-form' | 'scan-override'): Record<string, string> {
  const body = new RegExp(`<form [^>]*(?:id|data-testid)="${form}"[^>]*>([\\s\\S]*?)</form>`).exec(html)?.[1];
  if (body === undefined) throw new Error(`the panel has no ${form}`);
  const fields: Record<string, string> = {};
  for (const m of body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    if (m[1] !== '_csrf') fields[m[1]!] = unescape(m[2]!);
  }
  return fields;
}

const banner = (html: string) => unescape(/data-testid="scan-banner">([^<]*)</.exec(html)?.[1] ?? '');
const hasReleaseForm = (html: string) => html.includes('data-testid="scan-override"');

/** Sends the scan panel's form with what the person typed, and reads the answer to that request. */
async function send(agent: Agent, fields: Record<string, string>): Promise<Answer> {
  const res = await agent.post('/scan', fields, { headers: { 'hx-request': 'true' } });
  return { status: res.status, html: await res.text() };
}

/** What the desk shows first: an empty panel waiting for a waybill. */
async function emptyPanel(agent: Agent): Promise<string> {
  return (await agent.get('/scan')).text();
}

/** Scans every item of the order into the panel, asserting each answer, and returns the panel ready to ship. */
async function scanItems(agent: Agent, panel: string, id: string): Promise<string> {
  const barcodes = await steps.barcodes(id);
  let html = panel;
  for (const [i, code] of barcodes.entries()) {
    const answer = await send(agent, { ...formFields(html, 'scan-form'), code });
    expect({ code, status: answer.status, banner: answer.html.includes('data-banner="ok"') }).toEqual({ code, status: 200, banner: true });
    expect(/data-testid="scan-count">([^<]*)</.exec(answer.html)?.[1]?.trim()).toBe(`已扫 ${i + 1} / ${barcodes.length} 件`);
    html = answer.html;
  }
  expect(html).toContain('data-testid="ship"');
  return html;
}

const auditOf = (id: string, action: string) => stack.db.em().find(AuditEvent, { entityId: id, action }, { orderBy: { id: 'asc' } });

/** An order approved with a pool courier (no platform call for its number) and marked printed. */
async function printedOrder() {
  const { id, trade } = await steps.newOrder();
  const approved = await steps.approve(id, { courierCode: 'EMS' });
  expect(approved).toMatchObject({ ok: true, status: 'ready_to_print' });
  const order = await steps.markPrinted(id);
  return { id, trade, order };
}

describe('a parcel whose buyer changed the address after printing', () => {
  it('is refused loudly at the waybill scan; a warehouse user gets no release, an admin releases it with a reason, scans and ships it on the record', async () => {
    const { id, trade, order } = await printedOrder();
    const newAddress = '文三路 90 号 新地址';
    Object.assign(stack.sandbox.getTrade(trade.tid)!, { receiver_address: newAddress });
    steps.touch(stack.sandbox.getTrade(trade.tid)!);
    await steps.pull();
    const alerted = await eventually(async () => {
      const o = await steps.orderRow(id);
      return o?.alert.includes('买家在打印后修改了收货地址') ? o : null;
    }, 'the alert on the printed order');
    expect(alerted).toMatchObject({ status: 'printed', address: order.address });

    const waybill = order.waybillNo;
    const atDesk = await send(warehouse, { ...formFields(await emptyPanel(warehouse), 'scan-form'), code: waybill });
    expect(atDesk.status).toBe(422);
    expect(atDesk.html).toContain('data-banner="error"');
    expect(banner(atDesk.html)).toContain(`订单 ${order.platformOrderNo}：${alerted.alert}！面单地址已作废，请拦截，主管放行后才能发货`);
    expect(atDesk.html).not.toContain('data-testid="scan-lines"');
    expect(hasReleaseForm(atDesk.html)).toBe(false);
    // A release typed in by hand without the permission is ignored: the parcel is still refused.
    const forged = await send(warehouse, { ...formFields(atDesk.html, 'scan-form'), code: waybill, override: '我觉得可以发' });
    expect(forged.status).toBe(422);
    expect(banner(forged.html)).toContain('面单地址已作废');
    expect(forged.html).not.toContain('data-testid="scan-lines"');

    const seenByAdmin = await send(admin, { ...formFields(await emptyPanel(admin), 'scan-form'), code: waybill });
    expect(seenByAdmin.status).toBe(422);
    expect(banner(seenByAdmin.html)).toContain('面单地址已作废');
    expect(hasReleaseForm(seenByAdmin.html)).toBe(true);
    const releaseForm = formFields(seenByAdmin.html, 'scan-override');
    expect(releaseForm).toMatchObject({ code: waybill, orderId: '', scans: '[]' });

    // A release without a reason is no release.
    const blank = await send(admin, { ...releaseForm, override: '   ' });
    expect(blank.status).toBe(422);
    expect(banner(blank.html)).toContain('面单地址已作废');
    expect(blank.html).not.toContain('data-testid="scan-lines"');

    const reason = '已拦截，改写新地址面单';
    const released = await send(admin, { ...releaseForm, override: reason });
    expect(released.status).toBe(200);
    expect(banner(released.html)).toBe(`已放行（${reason}）：请逐件扫描货品`);
    expect(released.html).toContain('data-testid="scan-lines"');
    expect(formFields(released.html, 'scan-form')).toMatchObject({ orderId: id, override: reason });
    // Not shipped yet: the release only lets the items be checked.
    expect((await steps.orderRow(id))?.status).toBe('printed');

    const ready = await scanItems(admin, released.html, id);
    const shipped = await send(admin, { ...formFields(ready, 'scan-form'), code: '', ship: '1', weight: '900' });
    expect(shipped.status).toBe(200);
    expect(banner(shipped.html)).toBe(`已发货：订单 ${order.platformOrderNo}，运单 ${waybill}。请扫描下一个运单号`);

    const after = await steps.waitForStatus(id, ['shipped', 'done']);
    expect(after).toMatchObject({ shippedBy: 'admin', weightGrams: 900, alert: '' });
    const [release] = await auditOf(id, 'ship_released');
    expect(release).toMatchObject({ actor: 'admin' });
    expect(release!.reason).toContain(reason);
    expect(release!.reason).toContain('收货地址');
  });
});

describe('a parcel the platform cannot be asked about', () => {
  it('is refused with "平台无法连接，稍后再扫" and stays 已打印; an admin releases it with a reason and it ships, the skipped check on the record', async () => {
    const { id, order } = await printedOrder();
    const waybill = order.waybillNo;
    const opened = await send(warehouse, { ...formFields(await emptyPanel(warehouse), 'scan-form'), code: waybill });
    expect(opened.status).toBe(200);
    expect(banner(opened.html)).toBe(`运单 ${waybill}：请逐件扫描货品`);
    const ready = await scanItems(warehouse, opened.html, id);

    stack.sandbox.setFaults({ outage: true });
    try {
      const refused = await send(warehouse, { ...formFields(ready, 'scan-form'), code: '', ship: '1' });
      expect(refused.status).toBe(409);
      expect(banner(refused.html)).toContain('平台无法连接，稍后再扫');
      expect(banner(refused.html)).toContain('请管理员在本页放行');
      expect(hasReleaseForm(refused.html)).toBe(false);
      // The parcel stays on the desk, fully scanned, for the next try.
      expect(formFields(refused.html, 'scan-form')).toMatchObject({ orderId: id, scans: formFields(ready, 'scan-form').scans });
      expect(await steps.orderRow(id)).toMatchObject({ status: 'printed', shippedBy: '' });
      expect(await (await warehouse.get(`/orders/${encodeURIComponent(id)}`)).text()).toMatch(/<h1>[^\n]*data-status="printed">已打印<\/span>\s*<\/h1>/);
      expect(await auditOf(id, 'refund_check_failed')).toEqual([expect.objectContaining({ actor: 'cangku' })]);

      const adminOpened = await send(admin, { ...formFields(await emptyPanel(admin), 'scan-form'), code: waybill });
      expect(adminOpened.status).toBe(200);
      const adminReady = await scanItems(admin, adminOpened.html, id);
      const adminRefused = await send(admin, { ...formFields(adminReady, 'scan-form'), code: '', ship: '1' });
      expect(adminRefused.status).toBe(409);
      expect(banner(adminRefused.html)).toContain('平台无法连接，稍后再扫');
      expect(banner(adminRefused.html)).not.toContain('请管理员在本页放行');
      expect(hasReleaseForm(adminRefused.html)).toBe(true);
      const releaseForm = formFields(adminRefused.html, 'scan-override');
      expect(releaseForm).toMatchObject({ orderId: id, ship: '1', scans: formFields(adminReady, 'scan-form').scans });

      const reason = '平台维护中，买家电话确认未退款';
      const shipped = await send(admin, { ...releaseForm, override: reason });
      expect(shipped.status).toBe(200);
      expect(banner(shipped.html)).toBe(`已发货：订单 ${order.platformOrderNo}，运单 ${waybill}。请扫描下一个运单号`);
      expect(await steps.orderRow(id)).toMatchObject({ status: 'shipped', shippedBy: 'admin' });
      const [skipped] = await auditOf(id, 'refund_check_skipped');
      expect(skipped).toMatchObject({ actor: 'admin' });
      expect(skipped!.reason).toContain(reason);
    } finally {
      stack.sandbox.setFaults({ outage: false });
    }

    // Back online, the tracking number reaches the platform once.
    await stack.client.workflow.getHandle(id).signal(retrySyncSignal, { actor: actors.warehouse });
    const done = await steps.waitForStatus(id, ['done']);
    expect(done.syncStatus).toBe('synced');
    expect(stack.sandbox.state.shipments.filter((s) => s.outSid === waybill)).toHaveLength(1);
  });
});
