import type { AuditEvent } from '../../db/entities';
import { changeHistory } from './change-history';

const event = (over: Partial<AuditEvent>): AuditEvent =>
  ({ id: 1, eventKey: 'k', entityType: 'warehouse', entityId: 'MAIN', action: 'warehouse.update', actor: 'admin', actorName: '管理员 老王', reason: '', before: null, after: null, at: new Date('2026-11-27T12:00:00Z'), ...over }) as AuditEvent;

describe('the settings pages’ 修改记录', () => {
  it('writes each changed field as label：old → new with the form’s words, 是/否, ¥ and 、', () => {
    const [sku] = changeHistory('zh-CN', [event({ entityType: 'sku', action: 'sku_update', before: { name: 'T恤', priceFen: 6900, active: true, components: '' }, after: { name: 'T恤', priceFen: 5900, active: false, components: 'A*2;B*1' } })]);
    expect(sku!.changes.map((c) => c.text)).toEqual(['售价：¥69.00 → ¥59.00', '启用：是 → 否', '组合明细：（空） → A*2、B*1']);
    const [courier] = changeHistory('zh-CN', [event({ entityType: 'courier', action: 'courier.update', before: { regionsNotServed: ['新疆'], provider: 'pool' }, after: { regionsNotServed: ['新疆', '西藏'], provider: 'cainiao' } })]);
    expect(courier!.changes.map((c) => c.text)).toEqual(['单号来源：号段（导入的单号） → 菜鸟电子面单（通过店铺）', '不送达地区：新疆 → 新疆、西藏']);
    expect(courier!.actionLabel).toBe('修改快递');
  });

  it('shows a changed secret only as 已修改, whatever the row holds', () => {
    const [row] = changeHistory('zh-CN', [event({ entityType: 'shop', action: 'shop.update', before: { sessionKey: 'old-session' }, after: { sessionKey: 'new-session' } })]);
    expect(row!.changes.map((c) => c.text)).toEqual(['SessionKey：已修改']);
    expect(JSON.stringify(row)).not.toMatch(/old-session|new-session/);
  });

  it('lists a new record’s fields once, skipping the empty ones, and speaks English on the English page', () => {
    const [zh] = changeHistory('zh-CN', [event({ action: 'warehouse.create', after: { code: 'BJ', name: '北京仓', kind: 'normal', allowNegative: false, detail: '' } })]);
    expect(zh!.listing).toEqual({ prefix: '添加：', text: '编码 BJ，名称 北京仓，类型 普通仓（发货），允许负库存 否' });
    const [en] = changeHistory('en', [event({ action: 'warehouse.update', before: { contactPhone: '0571-88886666', allowNegative: false }, after: { contactPhone: '0571-88880000', allowNegative: true } })]);
    expect(en!.actionLabel).toBe('Warehouse changed');
    expect(en!.changes.map((c) => c.text)).toEqual(['Negative stock: No → Yes', 'Sender phone: 0571-88886666 → 0571-88880000']);
  });
});
