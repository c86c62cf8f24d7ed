import { AuditEvent, ImportBatch, Session, User } from '../../db/entities';
import { verifyPassword } from '../../api/auth/passwords';
import { PASSWORD, startWebFixture, type Agent, type WebFixture } from './web-fixture';

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
  const upload = (files: { orders?: string; items?: string }, shopCode = 'zhiyuan') => {
    const form = new FormData();
    form.append('shopCode', shopCode);
    if (files.orders !== undefined) form.append('orders', new File([files.orders], 'ExportOrderList.csv', { type: 'text/csv' }));
    if (files.items !== undefined) form.append('items', new File([files.items], 'ExportOrderDetailList.csv', { type: 'text/csv' }));
    return admin.post('/import', form);
  };

  it('lists each bad row with file, row number, order number and reason, and records the import', async () => {
    const orders = [
      '订单编号,买家会员名,买家实际支付金额,订单状态,收货地址,订单创建时间,订单付款时间',
      '1001,tb_a,abc,买家已付款，等待卖家发货,浙江省 杭州市 西湖区 文三路 1 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
      '1002,tb_b,12.50,火星状态,浙江省 杭州市 西湖区 文三路 2 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
      '1003,tb_c,12.50,买家已付款，等待卖家发货,浙江省 杭州市 西湖区 文三路 3 号(310000),2026-11-20 10:00:00,2026-11-20 10:01:00',
    ].join('\r\n');
    const res = await upload({ orders });
    expect(res.status).toBe(422);
    const html = (await res.text()).replace(/&quot;/g, '"');
    expect(html).toContain('data-testid="import-errors"');
    expect(html).toContain('买家实际支付金额 "abc" 不是有效金额');
    expect(html).toContain('订单状态 "火星状态" 无法识别');
    expect(html).toContain('缺少宝贝明细文件');
    expect(html).toMatch(/<td class="num">2<\/td><td class="mono">1001<\/td>/);
    const batch = await web.db.em().findOneOrFail(ImportBatch, { shopCode: 'zhiyuan' }, { orderBy: { id: 'desc' } });
    expect(batch.rowCount).toBe(3);
    expect(batch.acceptedCount).toBe(0);
    expect(batch.errors.map((e) => e.row)).toEqual([2, 3, 4]);

    const again = await (await upload({ orders })).text();
    expect(again).toContain('data-testid="import-previous"');
  });

  it('names a file that is not an order report', async () => {
    const res = await upload({ orders: 'foo,bar\r\n1,2' });
    expect(await res.text()).toContain('订单报表缺少必需的列');
  });

  it('asks for a shop and the order file before reading anything', async () => {
    expect(await (await upload({ orders: 'x' }, 'nope')).text()).toContain('请选择店铺');
    expect(await (await upload({})).text()).toContain('请选择订单报表文件');
  });

  it('refuses an upload over the size limit with a clear message', async () => {
    const res = await upload({ orders: 'x'.repeat(21 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('上传的文件太大（上限 20 MB）');
  });
});
