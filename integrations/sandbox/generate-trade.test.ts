import { yuanToFen } from '../../domain/money';
import { PROVINCES, provinceShortName } from '../../domain/regions';
import { taobaoTimeToIso } from '../../domain/taobao';
import { SANDBOX_DEMO_CATALOGUE } from './sandbox-demo-app';
import { createSandboxStore } from './sandbox-store';

const NOW = new Date('2026-06-18T12:00:00Z');

function sample(count: number, seed: number | string = 42) {
  const store = createSandboxStore({ catalogue: SANDBOX_DEMO_CATALOGUE, seed, sellerNick: '测试店', now: () => NOW });
  return store.generateTrades(count);
}

describe('generated trades', () => {
  const trades = sample(3000);

  it('reach every province, 新疆, 西藏 and 内蒙古 included', () => {
    const seen = new Set(trades.map((t) => provinceShortName(t.receiver_state)));
    expect(['新疆', '西藏', '内蒙古'].filter((p) => !seen.has(p))).toEqual([]);
    expect(PROVINCES.map((p) => p.short).filter((p) => !seen.has(p))).toEqual([]);
    expect(trades.filter((t) => t.receiver_state === '北京')[0]).toMatchObject({ receiver_city: '北京市' });
  });

  it('add up: each line pays price × quantity less its discount, the trade pays its lines plus postage', () => {
    const wrong = trades.filter((t) => {
      const lines = t.orders.order;
      const linesOk = lines.every((o) => {
        const paid = yuanToFen(o.payment);
        return paid > 0 && paid === yuanToFen(o.price) * o.num - yuanToFen(o.discount_fee);
      });
      const goods = lines.reduce((s, o) => s + yuanToFen(o.price) * o.num, 0);
      const paid = lines.reduce((s, o) => s + yuanToFen(o.payment), 0);
      const yuanText = [t.payment, t.post_fee, t.total_fee].every((m) => /^\d+\.\d{2}$/.test(m));
      return !linesOk || !yuanText || yuanToFen(t.total_fee) !== goods || yuanToFen(t.payment) !== paid + yuanToFen(t.post_fee);
    });
    expect(wrong.map((t) => t.tid)).toEqual([]);
  });

  it('sell only the catalogue\'s SKUs, one to four lines', () => {
    const skus = new Set(SANDBOX_DEMO_CATALOGUE.map((s) => s.outerSkuId));
    expect(trades.every((t) => t.orders.order.every((o) => skus.has(o.outer_sku_id ?? '')))).toBe(true);
    expect(new Set(trades.map((t) => t.orders.order.length))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('carry unique 18–19 digit trade numbers and unique sub-order numbers', () => {
    expect(trades.every((t) => /^\d{18,19}$/.test(t.tid))).toBe(true);
    expect(new Set(trades.map((t) => t.tid)).size).toBe(trades.length);
    const oids = trades.flatMap((t) => t.orders.order.map((o) => o.oid));
    expect(new Set(oids).size).toBe(oids.length);
  });

  it('have Chinese receivers with 11-digit mobiles, sometimes a landline', () => {
    expect(trades.every((t) => /^1[358]\d{9}$/.test(t.receiver_mobile ?? ''))).toBe(true);
    expect(trades.every((t) => /^[\u4e00-\u9fa5·]{2,8}$/.test(t.receiver_name))).toBe(true);
    const landlines = trades.filter((t) => t.receiver_phone);
    expect(landlines.length).toBeGreaterThan(100);
    expect(landlines.every((t) => /^0\d{2,3}-\d{7,8}$/.test(t.receiver_phone ?? ''))).toBe(true);
  });

  it('sometimes carry a buyer message (about 15%), a seller memo (about 10%) or an amount of 999 yuan and more', () => {
    const share = (n: number) => n / trades.length;
    expect(share(trades.filter((t) => t.buyer_message).length)).toBeGreaterThan(0.1);
    expect(share(trades.filter((t) => t.buyer_message).length)).toBeLessThan(0.2);
    expect(share(trades.filter((t) => t.seller_memo).length)).toBeGreaterThan(0.06);
    expect(share(trades.filter((t) => t.seller_memo).length)).toBeLessThan(0.14);
    expect(trades.filter((t) => yuanToFen(t.payment) >= 99_900).length).toBeGreaterThan(30);
  });

  it('are mostly paid and waiting for shipment, with Taobao times in order', () => {
    const waiting = trades.filter((t) => t.status === 'WAIT_SELLER_SEND_GOODS');
    expect(waiting.length / trades.length).toBeGreaterThan(0.9);
    expect(trades.some((t) => t.status === 'WAIT_BUYER_PAY' && !t.pay_time)).toBe(true);
    const outOfOrder = waiting.filter((t) => !(t.created <= t.pay_time! && t.pay_time === t.modified && taobaoTimeToIso(t.modified) <= NOW.toISOString()));
    expect(outOfOrder.map((t) => t.tid)).toEqual([]);
  });

  it('come out the same from the same seed, and different from another', () => {
    expect(sample(50, 'same')).toEqual(sample(50, 'same'));
    expect(sample(5, 'other').map((t) => t.tid)).not.toEqual(sample(5, 'same').map((t) => t.tid));
  });
});
