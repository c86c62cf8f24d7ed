/**
 * 设置 → 仓库、快递、号段 through the pages and the JSON API on the demo data: a warehouse with stock is not deactivated
 * (the reason says how much, and nothing changes), a second default takes over from the first, number rolls are
 * imported from a list with its duplicates reported, a cancelled roll number goes back only when the courier allows
 * reuse, and only an admin may change any of it.
 */
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { printPages } from '../../activities/print/print-pages';
import { createWaybillActivities } from '../../activities/waybill';
import { AuditEvent, Courier, NumberRollImport, Order, OrderLine, Shop, StockLevel, Warehouse, WaybillPoolNumber } from '../../db/entities';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { apiClient, createApiToken } from '../api/api-client';
import { startStack, type Stack } from '../helpers/stack';
import { actors } from '../helpers/stack';
import { loginAgent, seedOrders, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);

let stack: Stack;
let admin: Agent;
let kefu: Agent;
let adminToken: string;
let kefuToken: string;

const em = () => stack.db.em();
const warehouse = (code: string) => em().findOneOrFail(Warehouse, { code });
const audits = (entityType: string, entityId: string) => em().find(AuditEvent, { entityType, entityId }, { orderBy: { id: 'asc' } });
const defaults = async () => (await em().find(Warehouse, { isDefault: true })).map((w) => w.code);
const banner = (html: string) => /data-testid="(?:error-message|notice)">([^<]*)</.exec(html)?.[1] ?? '';

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 41 });
  Object.assign(deps, webDeps(stack));
  admin = await loginAgent(request, 'admin', DEMO_PASSWORD);
  kefu = await loginAgent(request, 'kefu', DEMO_PASSWORD);
  adminToken = await createApiToken(stack.db, 'admin');
  kefuToken = await createApiToken(stack.db, 'kefu');
});
afterAll(() => stack?.close());

describe('warehouses', () => {
  it('shows the demo warehouses with the sender address the labels print', async () => {
    const html = await (await kefu.get('/settings/warehouses')).text();
    expect(html).toContain('本地仓库');
    expect(html).toContain('浙江省杭州市余杭区仓前街道 文一西路 1888 号 3 号仓');
    expect(html).not.toContain('data-testid="add-warehouse-form"');
  });

  it('refuses to deactivate a warehouse that still holds stock, says how much, and changes nothing; once empty it goes', async () => {
    const added = await admin.post('/settings/warehouses', { code: 'BJ', name: '北京仓', kind: 'normal', province: '北京市', city: '北京市', district: '大兴区', detail: '亦庄 1 号' });
    expect(added.status).toBe(303);
    // Stock as the stock activities leave it: 12 on hand, 2 of them reserved for an order.
    const levels = em();
    levels.create(StockLevel, { skuCode: 'DEMO-X', warehouseCode: 'BJ', onHand: 12, reserved: 2, updatedAt: new Date() });
    await levels.flush();
    const auditsBefore = (await audits('warehouse', 'BJ')).length;

    const refused = await admin.post('/settings/warehouses/BJ/active', { active: '0' });
    expect(refused.status).toBe(409);
    expect(banner(await refused.text())).toContain('仓库里还有 12 件库存（其中 2 件已被订单占用）');
    expect((await warehouse('BJ')).active).toBe(true);
    expect((await audits('warehouse', 'BJ')).length).toBe(auditsBefore);

    const api = await apiClient(app, adminToken).raw('/api/v1/settings/warehouses/BJ', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: false }) });
    expect(api.status).toBe(409);
    expect(((await api.json()) as { error: { message: string } }).error.message).toContain('仓库里还有 12 件库存');
    expect((await warehouse('BJ')).active).toBe(true);

    await em().nativeUpdate(StockLevel, { warehouseCode: 'BJ' }, { onHand: 0, reserved: 0 });
    const done = await admin.post('/settings/warehouses/BJ/active', { active: '0' });
    expect(done.status).toBe(200);
    expect((await warehouse('BJ')).active).toBe(false);
    const last = (await audits('warehouse', 'BJ')).at(-1)!;
    expect(last).toMatchObject({ action: 'warehouse.deactivate', actor: 'admin', before: { active: true }, after: { active: false } });
    expect(await (await admin.get('/settings/warehouses/BJ')).text()).toContain('停用仓库');
  });

  it('moves the default to a second warehouse marked default, and will not leave the business without one', async () => {
    expect(await defaults()).toEqual(['MAIN']);
    const added = await admin.post('/settings/warehouses', { code: 'HZ2', name: '杭州二仓', kind: 'normal', isDefault: '1' });
    expect(added.status).toBe(303);
    expect(await defaults()).toEqual(['HZ2']);
    expect((await audits('warehouse', 'MAIN')).at(-1)).toMatchObject({ action: 'warehouse.update', before: { isDefault: true }, after: { isDefault: false }, reason: '默认发货仓库改为 HZ2' });

    // Switching the default off without naming another, or making a returns warehouse the default, is refused.
    const off = await apiClient(app, adminToken).raw('/api/v1/settings/warehouses/HZ2', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ isDefault: false }) });
    expect(off.status).toBe(409);
    const returnsDefault = await admin.post('/settings/warehouses/RET', { name: '退货仓', kind: 'returns', isDefault: '1' });
    expect(returnsDefault.status).toBe(400);
    expect(banner(await returnsDefault.text())).toBe('默认发货仓库必须是普通仓');
    const deactivateDefault = await admin.post('/settings/warehouses/HZ2/active', { active: '0' });
    expect(deactivateDefault.status).toBe(409);
    expect(await defaults()).toEqual(['HZ2']);

    const back = await apiClient(app, adminToken).raw('/api/v1/settings/warehouses/MAIN', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ isDefault: true }) });
    expect(back.status).toBe(200);
    expect(await defaults()).toEqual(['MAIN']);
  });

  it('keeps one default when two admins set different ones at the same moment', async () => {
    const api = apiClient(app, adminToken);
    for (const code of ['NB1', 'NB2']) expect((await api.post('/api/v1/settings/warehouses', { code, name: `宁波${code}`, kind: 'normal' })).status).toBe(201);
    const patch = (code: string) => api.raw(`/api/v1/settings/warehouses/${code}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ isDefault: true }) });
    const answers = await Promise.all([patch('NB1'), patch('NB2')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const now = await defaults();
    expect(now).toHaveLength(1);
    expect(['NB1', 'NB2']).toContain(now[0]);
    expect((await api.raw('/api/v1/settings/warehouses/MAIN', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ isDefault: true }) })).status).toBe(200);
  });

  it('answers a page edit of the sender address with the change in the history, before and after', async () => {
    const res = await admin.post('/settings/warehouses/RET', { name: '退货仓', kind: 'returns', contactName: '售后 小周', contactPhone: '0571-88880000', province: '浙江省', city: '杭州市', district: '余杭区', detail: '文一西路 1888 号 5 号仓' });
    expect(res.status).toBe(200);
    // The page's 修改记录 reads in words, with the form's labels: no JSON, no field names.
    const history = /data-testid="history"[\s\S]*?<\/ol>/.exec(await res.text())?.[0] ?? '';
    const newest = /<li[\s\S]*?<\/li>/.exec(history)?.[0] ?? '';
    expect(newest).toContain('修改仓库');
    expect(newest).toContain('寄件电话：0571-88886666 → 0571-88880000');
    expect(newest).toContain('寄件人：管家生活馆 售后 → 售后 小周');
    expect(newest).not.toContain('允许负库存');
    expect(history).toContain('添加：编码 RET，名称 退货仓，类型 退货仓，默认发货仓库 否，启用 是，允许负库存 否，寄件人 管家生活馆 售后');
    expect(history).not.toMatch(/contactPhone|\{&quot;|\{"/);
    expect((await warehouse('RET')).contactName).toBe('售后 小周');
    const detail = (await apiClient(app, kefuToken).get<{ history: Array<{ action: string; before: Record<string, unknown>; after: Record<string, unknown>; changes: string[] }> }>('/api/v1/settings/warehouses/RET')).body;
    expect(detail.history[0]).toMatchObject({ action: 'warehouse.update', before: { contactName: '管家生活馆 售后' }, after: { contactName: '售后 小周' } });
    expect(detail.history[0]!.changes).toContain('寄件电话：0571-88886666 → 0571-88880000');
    const bad = await admin.post('/settings/warehouses/RET', { name: '退货仓', kind: 'returns', province: '火星' });
    expect(bad.status).toBe(400);
    expect(banner(await bad.text())).toContain('发件省份不认识');
  });
});

describe('the sender on labels', () => {
  it('applies for e-waybills and prints labels with the ship-from warehouse’s address as the sender', async () => {
    const api = apiClient(app, adminToken);
    const created = await api.post('/api/v1/settings/warehouses', { code: 'SZ', name: '深圳仓', kind: 'normal', contactName: '深圳仓 发货组', contactPhone: '0755-26668888', province: '广东省', city: '深圳市', district: '南山区', detail: '科技园 8 栋' });
    expect(created.status).toBe(201);
    const [order] = await seedOrders(stack.db, [{ shopCode: stack.shopCode, status: 'waybill_pending', courierCode: 'ZTO', warehouseCode: 'SZ' }]);
    const tid = order!.platformOrderNo;
    await createWaybillActivities({ db: stack.db }).reserveWaybillNumber({
      key: `${order!.id}:waybill:1`, orderId: order!.id, shopCode: stack.shopCode, platformOrderNo: tid, courierCode: 'ZTO',
      receiver: { name: '张伟', mobile: '13900000003', phone: '', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号', zip: '' },
      lines: [{ title: '保温杯', qty: 1 }],
    });
    // What the courier's e-waybill service was told: the platform sandbox keeps the print data it issued.
    const issued = stack.sandbox.state.waybills.find((w) => w.tradeOrderList.includes(tid))!;
    const sender = (JSON.parse(issued.printData) as { data: { sender: { name: string; mobile: string; address: Record<string, string> } } }).data.sender;
    expect(sender).toEqual({ name: '深圳仓 发货组', mobile: '0755-26668888', address: { province: '广东省', city: '深圳市', district: '南山区', detail: '科技园 8 栋' } });

    const [row, lines, couriers, shops, warehouses] = await Promise.all([
      em().findOneOrFail(Order, { id: order!.id }), em().find(OrderLine, { orderId: order!.id }), em().find(Courier, {}), em().find(Shop, {}), em().find(Warehouse, {}),
    ]);
    const [label] = printPages({ orders: [row], lines, couriers, shops, warehouses, kinds: ['waybill'], reprintOrderIds: [], actor: actors.warehouse, printedAt: new Date() });
    expect((label!.view as { sender: unknown }).sender).toEqual({ name: '深圳仓 发货组', phone: '0755-26668888', address: '广东省深圳市南山区科技园 8 栋' });
  });
});

describe('who may change settings', () => {
  it('lets every role read but refuses edits by anyone but an admin, on the page and in the API, changing nothing', async () => {
    expect((await kefu.get('/settings/couriers')).status).toBe(200);
    expect((await apiClient(app, kefuToken).get('/api/v1/settings/couriers')).status).toBe(200);
    const before = { warehouses: await em().count(Warehouse, {}), couriers: await em().count(Courier, {}), pool: await em().count(WaybillPoolNumber, {}), main: await warehouse('MAIN') };
    expect((await kefu.post('/settings/warehouses', { code: 'KF', name: '客服仓', kind: 'normal' })).status).toBe(403);
    expect((await kefu.post('/settings/warehouses/MAIN', { name: '改名', kind: 'normal' })).status).toBe(403);
    expect((await kefu.post('/settings/couriers', { code: 'YTO', name: '圆通', provider: 'pool', template: 'waybill-100x180' })).status).toBe(403);
    expect((await kefu.post('/settings/number-rolls/range', { courier: 'SF', prefix: 'SF', start: '1', end: '9' })).status).toBe(403);
    const kefuApi = apiClient(app, kefuToken);
    expect((await kefuApi.post('/api/v1/settings/warehouses', { code: 'KF', name: '客服仓', kind: 'normal' })).status).toBe(403);
    expect((await kefuApi.raw('/api/v1/settings/couriers/SF', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reuseCancelled: false }) })).status).toBe(403);
    expect((await kefuApi.post('/api/v1/settings/couriers/SF/number-rolls', { kind: 'range', prefix: 'SF', start: '1', end: '9' })).status).toBe(403);
    expect({ warehouses: await em().count(Warehouse, {}), couriers: await em().count(Courier, {}), pool: await em().count(WaybillPoolNumber, {}), main: await warehouse('MAIN') }).toEqual(before);
  });
});

describe('number rolls', () => {
  const free = (courierCode: string) => em().count(WaybillPoolNumber, { courierCode, status: 'free' });

  it('imports a list file, adding the new numbers and reporting those listed twice or already in the roll', async () => {
    const before = await free('SF');
    const form = new FormData();
    form.append('courier', 'SF');
    // A header, a number listed twice, one the demo roll already has, and a CSV column after the number.
    const file = ['单号,备注', 'SF2000000000001,', 'SF2000000000002,第二个', 'SF2000000000001,重复', 'SF1402000000000,已有', '', 'SF2000000000003'].join('\r\n');
    form.append('file', new File([file], 'sf-roll.csv', { type: 'text/csv' }));
    const res = await admin.post('/settings/number-rolls/list', form);
    expect(res.status).toBe(200);
    const message = banner(await res.text());
    expect(message).toContain('读到 5 个单号，新增 3 个');
    expect(message).toContain('文件中重复 1 个');
    expect(message).toContain('号段中已有 1 个');
    expect(message).toContain('SF2000000000001');
    expect(message).toContain('SF1402000000000');
    expect(await free('SF')).toBe(before + 3);
    const record = await em().findOneOrFail(NumberRollImport, { courierCode: 'SF', source: 'sf-roll.csv' });
    expect(record).toMatchObject({ kind: 'list', requested: 5, added: 3, duplicates: 1, alreadyPresent: 1, createdBy: 'admin' });
    expect((await audits('number_roll', 'SF')).at(-1)).toMatchObject({ action: 'number_roll.import', after: { importId: record.id, added: 3, duplicates: 1, alreadyPresent: 1 } });
  });

  it('refuses a list with a line that is not a number, naming the line, and imports none of it', async () => {
    const before = { free: await free('SF'), imports: await em().count(NumberRollImport, {}) };
    const res = await admin.post('/settings/number-rolls/list', { courier: 'SF', numbers: 'SF3000000000001\n顺丰 单号?\nSF3000000000002' });
    expect(res.status).toBe(400);
    expect(banner(await res.text())).toContain('第 2 行「顺丰 单号?」');
    expect({ free: await free('SF'), imports: await em().count(NumberRollImport, {}) }).toEqual(before);
  });

  it('counts a range before importing it, and refuses one over the cap', async () => {
    const preview = await (await admin.get('/settings/number-rolls/preview?prefix=EM&start=0001&end=0250')).text();
    expect(preview).toContain('共 250 个单号：EM0001 … EM0250');
    const api = apiClient(app, adminToken);
    const dry = await api.post<{ count: number }>('/api/v1/settings/couriers/EMS/number-rolls', { kind: 'range', prefix: 'EM', start: '0001', end: '0250', dryRun: true });
    expect(dry).toMatchObject({ status: 200, body: { count: 250, first: 'EM0001', last: 'EM0250' } });
    const tooMany = await api.post<{ error: { message: string } }>('/api/v1/settings/couriers/EMS/number-rolls', { kind: 'range', start: '1000000', end: '1100000' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('一次最多导入 100,000 个单号');
    const before = await free('EMS');
    const done = await api.post<{ added: number }>('/api/v1/settings/couriers/EMS/number-rolls', { kind: 'range', prefix: 'EM', start: '0001', end: '0250' });
    expect(done).toMatchObject({ status: 201, body: { added: 250, alreadyPresent: 0 } });
    expect(await free('EMS')).toBe(before + 250);
    const again = await api.post<{ added: number }>('/api/v1/settings/couriers/EMS/number-rolls', { kind: 'range', prefix: 'EM', start: '0200', end: '0300' });
    expect(again).toMatchObject({ status: 201, body: { added: 50, alreadyPresent: 51 } });
  });

  it('puts a cancelled, unprinted number back on the roll only while the courier allows reuse; otherwise it is void', async () => {
    const waybills = createWaybillActivities({ db: stack.db });
    const reserveAndCancel = async (tid: string) => {
      const orderId = `order:${stack.shopCode}:${tid}`;
      const { waybillNo } = await waybills.reserveWaybillNumber({
        key: `${orderId}:waybill:1`, orderId, shopCode: stack.shopCode, platformOrderNo: tid, courierCode: 'SF',
        receiver: { name: '李雷', mobile: '13900000002', phone: '', province: '江苏省', city: '苏州市', district: '姑苏区', detail: '人民路 8 号', zip: '' },
        lines: [{ title: '保温杯', qty: 1 }],
      });
      await waybills.cancelWaybillNumber({ orderId, shopCode: stack.shopCode, courierCode: 'SF', waybillNo });
      return { waybillNo, status: (await em().findOneOrFail(WaybillPoolNumber, { courierCode: 'SF', number: waybillNo })).status };
    };
    expect((await em().findOneOrFail(Courier, { code: 'SF' })).reuseCancelled).toBe(true);
    const first = await reserveAndCancel('7700000000000000001');
    expect(first.status).toBe('free');

    const off = await apiClient(app, adminToken).raw('/api/v1/settings/couriers/SF', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reuseCancelled: false }) });
    expect(off.status).toBe(200);
    expect((await audits('courier', 'SF')).at(-1)).toMatchObject({ action: 'courier.update', before: { reuseCancelled: true }, after: { reuseCancelled: false } });
    // The next order is handed the number given back, and this time it is not given back again.
    expect(await reserveAndCancel('7700000000000000002')).toEqual({ waybillNo: first.waybillNo, status: 'void' });
  });

  it('shows the numbers left on the courier list, with a warning below the courier’s threshold', async () => {
    const page = await admin.post('/settings/couriers/EMS', { name: '中国邮政 EMS', provider: 'pool', template: 'waybill-76x130', lowRollThreshold: '999999', reuseCancelled: '1' });
    expect(page.status).toBe(200);
    const list = await (await kefu.get('/settings/couriers')).text();
    const cell = /data-testid="remaining-EMS">([\s\S]*?)<\/td>/.exec(list)?.[1] ?? '';
    expect(cell).toContain(String(await free('EMS')));
    expect(cell).toContain('不足');
    const print = await (await admin.get('/print')).text();
    expect(print).toContain(`中国邮政 EMS 剩余单号只有 ${await free('EMS')} 个（预警数量 999999）`);
  });
});
