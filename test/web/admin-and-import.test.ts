import { createApp } from '../../api/app';
import { verifyPassword } from '../../api/auth/passwords';
import { createViews } from '../../api/views';
import { AuditEvent, ImportBatch, Order, Session, User } from '../../db/entities';
import { itemReport, itemRow, orderReport, orderRow } from '../../integrations/csv/fixtures/taobao-report';
import { eventually } from '../helpers/stack';
import { workersOnOwnQueue, type OwnWorkers } from '../helpers/workers-on-own-queue';
import { loginAgent, PASSWORD, startWebFixture, type Agent, type WebFixture } from './web-fixture';

let web: WebFixture;
let admin: Agent;

beforeAll(async () => {
  web = await startWebFixture();
  admin = await web.login('admin');
});
afterAll(() => web.close());

describe('用户与权限', () => {
  it('adds a user with an argon2id password and an audit row naming the admin', async () => {
    const res = await admin.post('/admin/users', { username: 'xiaozhang', displayName: '仓库 小张', password: 'secret-pass-1', roles: ['warehouse', 'after_sales'] });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('已添加用户 xiaozhang');
    const user = await web.db.em().findOneOrFail(User, { username: 'xiaozhang' });
    expect(user.roles).toEqual(['warehouse', 'after_sales']);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await web.db.em().findOneOrFail(AuditEvent, { entityType: 'user', entityId: 'xiaozhang', action: 'user.create' });
    expect(audit.actor).toBe('admin');
    expect(audit.after).toMatchObject({ roles: ['warehouse', 'after_sales'] });
    expect(JSON.stringify(audit.after)).not.toContain('secret-pass-1');
    const them = await web.login('xiaozhang', 'secret-pass-1');
    expect((await them.get('/print')).status).toBe(200);
  });

  it('refuses a short password, an unknown role and a taken username, adding nobody', async () => {
    const short = await admin.post('/admin/users', { username: 'shorty', displayName: 'S', password: 'short', roles: 'reviewer' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('密码至少 8 位');
    const role = await admin.post('/admin/users', { username: 'roley', displayName: 'R', password: 'long-enough-1', roles: 'boss' });
    expect(role.status).toBe(400);
    expect(await role.text()).toContain('角色无效');
    const taken = await admin.post('/admin/users', { username: 'shendan', displayName: 'R', password: 'long-enough-1', roles: 'reviewer' });
    expect(taken.status).toBe(409);
    expect(await web.db.em().count(User, { username: { $in: ['shorty', 'roley'] } })).toBe(0);
  });

  it('changes roles with before and after in the audit trail', async () => {
    const kefu = await web.db.em().findOneOrFail(User, { username: 'kefu' });
    await admin.post(`/admin/users/${kefu.id}/roles`, { roles: ['customer_service', 'reviewer'] });
    expect((await web.db.em().findOneOrFail(User, { username: 'kefu' })).roles).toEqual(['customer_service', 'reviewer']);
    const audit = await web.db.em().findOneOrFail(AuditEvent, { entityId: 'kefu', action: 'user.roles' });
    expect(audit.before).toEqual({ roles: ['customer_service'] });
    expect(audit.after).toEqual({ roles: ['customer_service', 'reviewer'] });
  });

  it('resets a password: the old one stops working and the user is signed out', async () => {
    const victim = await web.login('caiwu');
    const user = await web.db.em().findOneOrFail(User, { username: 'caiwu' });
    await admin.post(`/admin/users/${user.id}/password`, { password: 'brand-new-pass' });
    expect(await verifyPassword((await web.db.em().findOneOrFail(User, { id: user.id })).passwordHash, 'brand-new-pass')).toBe(true);
    expect((await victim.get('/orders')).status).toBe(302);
    expect((await web.agent().post('/login', { username: 'caiwu', password: PASSWORD })).status).toBe(401);
    expect(await web.db.em().count(AuditEvent, { entityId: 'caiwu', action: 'user.password_reset' })).toBe(1);
  });

  it('deactivates a user, ending their sessions and refusing their sign-in', async () => {
    const them = await web.login('chuna');
    const user = await web.db.em().findOneOrFail(User, { username: 'chuna' });
    const res = await admin.post(`/admin/users/${user.id}/active`, { active: '0' });
    expect(res.status).toBe(200);
    expect(await web.db.em().count(Session, { userId: user.id })).toBe(0);
    expect((await them.get('/orders')).status).toBe(302);
    expect((await web.agent().post('/login', { username: 'chuna', password: PASSWORD })).status).toBe(401);
    expect(await web.db.em().count(AuditEvent, { entityId: 'chuna', action: 'user.deactivate' })).toBe(1);
  });

  it('does not let an admin remove their own admin role or account', async () => {
    const me = await web.db.em().findOneOrFail(User, { username: 'admin' });
    expect((await admin.post(`/admin/users/${me.id}/roles`, { roles: 'reviewer' })).status).toBe(409);
    expect((await admin.post(`/admin/users/${me.id}/active`, { active: '0' })).status).toBe(409);
    expect((await web.db.em().findOneOrFail(User, { id: me.id })).roles).toEqual(['admin']);
  });
});

describe('导入订单', () => {
  // The import runs as a workflow: this suite has its own workers and task queue, and an app that starts work there.
  let workers: OwnWorkers;
  let importer: Agent;

  beforeAll(async () => {
    workers = await workersOnOwnQueue(web.db, 'gj-import-web');
    const app = createApp(
      { db: web.db, temporal: workers.client, config: { taskQueue: workers.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: '' } },
      { views: createViews() },
    );
    importer = await loginAgent((path, init) => Promise.resolve(app.request(path, init)), 'admin', PASSWORD);
  });
  afterAll(() => workers?.shutdown());

  const formOf = (html: string) => ({ actionId: /name="actionId" value="([^"]+)"/.exec(html)?.[1] ?? '' });

  /** Uploads from a freshly shown form, as a person does. */
  const upload = async (files: { orders?: string; items?: string }, shopCode = 'zhiyuan') => {
    const form = new FormData();
    form.append('actionId', formOf(await (await importer.get('/import')).text()).actionId);
    form.append('shopCode', shopCode);
    if (files.orders !== undefined) form.append('orders', new File([files.orders], 'ExportOrderList.csv', { type: 'text/csv' }));
    if (files.items !== undefined) form.append('items', new File([files.items], 'ExportOrderDetailList.csv', { type: 'text/csv' }));
    return importer.post('/import', form);
  };

  /** Follows the upload to its batch page and waits, as the page's polling does, until the import is done. */
  const finishedPage = async (res: Response): Promise<string> => {
    expect(res.status).toBe(303);
    const page = res.headers.get('location')!;
    expect(page).toMatch(/^\/import\/\d+$/);
    await eventually(async () => {
      const fragment = await (await importer.get(`${page}/progress`, { 'hx-request': 'true' })).text();
      return fragment.includes('data-status="done"');
    }, 'the import to finish');
    return (await (await importer.get(page)).text()).replace(/&quot;/g, '"');
  };

  it('lists each bad row with file, row number, order number and reason, and records the import', async () => {
    const orders = [
      '订单编号,买家会员名,买家实际支付金额,订单状态,收货地址,订单创建时间,订单付款时间',
      '1001,tb_a,abc,买家已付款，等待卖家发货,浙江省 杭州市 西湖区 文三路 1 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
      '1002,tb_b,12.50,火星状态,浙江省 杭州市 西湖区 文三路 2 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
      '1003,tb_c,12.50,买家已付款，等待卖家发货,浙江省 杭州市 西湖区 文三路 3 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
    ].join('\r\n');
    const html = await finishedPage(await upload({ orders }));
    expect(html).toContain('data-testid="import-errors"');
    expect(html).toContain('买家实际支付金额 "abc" 不是有效金额');
    expect(html).toContain('订单状态 "火星状态" 无法识别');
    expect(html).toContain('缺少宝贝明细文件');
    expect(html).toMatch(/<td class="num">2<\/td><td class="mono">1001<\/td>/);
    const batch = await web.db.em().findOneOrFail(ImportBatch, { shopCode: 'zhiyuan' }, { orderBy: { id: 'desc' } });
    expect(batch.rowCount).toBe(3);
    expect(batch.acceptedCount).toBe(0);
    expect(batch.errors.map((e) => e.row)).toEqual([2, 3, 4]);

    const again = await finishedPage(await upload({ orders }));
    expect(again).toContain('data-testid="import-previous"');
  });

  it('submits the good orders in the background and shows the counts when done', async () => {
    const no = '4200000000000000001';
    const orders = orderReport([orderRow({ 订单编号: no, 店铺名称: 'zhiyuan' }), orderRow({ 订单编号: '4200000000000000002', 订单状态: '交易成功' })]);
    const items = itemReport([itemRow({ 订单编号: no, 商家编码: 'CUP-BLUE' }), itemRow({ 订单编号: '4200000000000000002', 商家编码: 'CUP-BLUE' })]);
    const res = await upload({ orders, items });
    const batchPage = res.headers.get('location')!;
    // Until the workflow is done the page polls its progress fragment; the upload never waited for the orders.
    const first = await (await importer.get(batchPage)).text();
    expect(first).toMatch(/data-status="(submitting|done)"/);
    const html = await finishedPage(res);
    expect(html).toContain('data-testid="import-done"');
    expect(html).toMatch(/data-testid="import-started">1</);
    expect(html).toMatch(/data-testid="import-skipped">1</);
    expect(html).not.toContain('data-testid="import-errors"');
    await eventually(async () => (await web.db.em().findOne(Order, { id: `order:zhiyuan:${no}` })) ?? null, 'the imported order');
  });

  it('imports a resent form once', async () => {
    const orders = orderReport([orderRow({ 订单编号: '4200000000000000009', 订单状态: '交易成功' })]);
    const items = itemReport([itemRow({ 订单编号: '4200000000000000009', 商家编码: 'CUP-BLUE' })]);
    const form = () => {
      const f = new FormData();
      f.append('actionId', '7e2b9c10-0000-4000-8000-000000000001');
      f.append('shopCode', 'zhiyuan');
      f.append('orders', new File([orders], 'a.csv'));
      f.append('items', new File([items], 'b.csv'));
      return f;
    };
    const first = await importer.post('/import', form());
    const second = await importer.post('/import', form());
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await web.db.em().count(ImportBatch, { actionId: '7e2b9c10-0000-4000-8000-000000000001' })).toBe(1);
  });

  it('names a file that is not an order report', async () => {
    expect(await finishedPage(await upload({ orders: 'foo,bar\r\n1,2' }))).toContain('订单报表缺少必需的列');
  });

  it('asks for a shop and the order file before reading anything', async () => {
    expect(await (await upload({ orders: 'x' }, 'nope')).text()).toContain('请选择店铺');
    expect(await (await upload({})).text()).toContain('请选择订单报表文件');
    expect(await web.db.em().count(ImportBatch, { shopCode: 'nope' })).toBe(0);
  });

  it('refuses an upload over the size limit with a clear message', async () => {
    const res = await upload({ orders: 'x'.repeat(21 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('上传的文件太大（上限 20 MB）');
  });
});
