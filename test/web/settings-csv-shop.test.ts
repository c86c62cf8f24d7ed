/**
 * A shop without platform access (仅 CSV 导入), made through 设置 → 店铺: it has no pull schedule, its orders come in
 * from the seller centre's export files, and they go all the way to 已完成 without an admin's override: the scan desk
 * is not refused for a refund check nobody can make, and the tracking number is not sent to a platform that has no
 * interface; both are said on the order's timeline.
 */
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/env';
import { describeShopPullSchedule } from '../../api/shop-pull-schedules';
import { AuditEvent, Order, Shop } from '../../db/entities';
import { DEMO_CATALOGUE } from '../../db/seeders/demo-catalogue';
import { DEMO_PASSWORD } from '../../db/seeders/demo-data';
import { itemReport, itemRow, orderReport, orderRow } from '../../integrations/csv/fixtures/taobao-report';
import { apiClient, createApiToken } from '../api/api-client';
import { orderDriver } from '../helpers/order-driver';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

const deps = {} as AppDeps;
const app = createApp(deps);
const code = `csv${randomBytes(3).toString('hex')}`;
const TID = `39${Date.now()}`;

let stack: Stack;
let admin: Agent;

beforeAll(async () => {
  stack = await startStack({ realPasswords: true, seed: 91 });
  Object.assign(deps, webDeps(stack));
  admin = await loginAgent((path, init) => Promise.resolve(app.request(path, init)), 'admin', DEMO_PASSWORD);
});
afterAll(() => stack?.close());

/** The seller centre's two export files for one plain order of the new shop, GBK as downloaded. */
function exportFiles(): FormData {
  const sku = DEMO_CATALOGUE[0]!;
  const form = new FormData();
  form.append('shopCode', code);
  const orders = orderReport([orderRow({ 订单编号: TID, 买家会员名: 'tb_线下店', 买家应付货款: '59.00', 总金额: '59.00', 买家实际支付金额: '59.00', 店铺名称: code })]);
  const items = itemReport([itemRow({ 订单编号: TID, 标题: sku.productName, 价格: '59.00', 商家编码: sku.code })]);
  form.append('orders', new File([new Uint8Array(iconv.encode(orders, 'gbk'))], 'ExportOrderList.csv', { type: 'text/csv' }));
  form.append('items', new File([new Uint8Array(iconv.encode(items, 'gbk'))], 'ExportOrderDetailList.csv', { type: 'text/csv' }));
  return form;
}

describe('a CSV-only shop made through the 店铺 page', () => {
  it('imports its export and ships the order to 已完成 with no refund check or sync to a platform it has no access to', async () => {
    const created = await admin.post('/settings/shops', {
      code, name: '线下导入店', platform: 'csv', apiUrl: '', appKey: '', appSecret: '', sessionKey: '', signMethod: 'md5',
      pullIntervalSeconds: '60', shipByHours: '48', returnRemindDays: '7', returnCloseDays: '15',
    });
    expect(created.status).toBe(303);
    expect(await stack.db.em().fork().findOne(Shop, { code })).toMatchObject({ platform: 'csv', active: true });
    expect(await describeShopPullSchedule(stack.client, code)).toMatchObject({ exists: false });

    const kefu = apiClient(app, await createApiToken(stack.db, 'kefu'));
    const imported = await kefu.postForm<{ importId: number }>('/api/v1/imports', exportFiles());
    expect(imported.status).toBe(202);
    const id = `order:${code}:${TID}`;
    const driver = orderDriver(stack);
    await driver.waitForRow(id, (o) => o.status === 'review', 'to wait for review');

    // Its e-waybill couriers go through a shop's platform account, which this shop has none of: a number-roll courier prints.
    expect(await driver.approve(id, { courierCode: 'EMS' })).toMatchObject({ ok: true });
    await driver.waitForRow(id, (o) => o.status === 'ready_to_print', 'to get its tracking number');
    await driver.markPrinted(id);
    await driver.waitForRow(id, (o) => o.status === 'printed', 'to be printed');
    expect(await driver.ship(id)).toMatchObject({ ok: true });

    const done = await driver.waitForRow(id, (o) => o.status === 'done', 'to finish without a platform');
    expect(done).toMatchObject({ syncStatus: 'none' });
    const actions = await eventually(async () => {
      const rows = await stack.db.em().fork().find(AuditEvent, { entityId: id }, { orderBy: { id: 'asc' } });
      return rows.some((r) => r.action === 'sync_skipped') ? rows : null;
    }, 'the sync_skipped row');
    expect(actions.find((r) => r.action === 'refund_check_skipped')?.reason).toContain('未做退款检测');
    expect(actions.find((r) => r.action === 'sync_skipped')?.reason).toContain('请在平台后台填写物流单号');
    expect(actions.map((r) => r.action)).not.toContain('sync_failed');
    expect(await stack.db.em().fork().count(Order, { shopCode: code })).toBe(1);
  });
});
