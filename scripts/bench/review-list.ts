/**
 * Bench (d): the 订单审核 page (server-side filter, sort, paging, render) with 20,000 orders in the read
 * model, measured through the real app (session, role check, query, Handlebars) as p95 per request.
 */
import { Client, Connection } from '@temporalio/client';
import { guanjiaClientOptions } from '../../api/temporal/temporal-security';
import { createApp } from '../../api/app';
import { createSession, SESSION_COOKIE } from '../../api/auth/sessions';
import { loadConfig } from '../../api/config';
import { Order, OrderLine, User } from '../../db/entities';
import { seedDemoData } from '../../db/seeders/demo-data';
import { DEMO_CATALOGUE, ean13 } from '../../db/seeders/demo-catalogue';
import { PROVINCES } from '../../domain/regions';
import { createTestDb } from '../../test/helpers/test-db';
import { median, percentile } from './stats';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

async function fill(db: Awaited<ReturnType<typeof createTestDb>>['db'], count: number): Promise<void> {
  const statuses = ['review', 'review', 'review', 'out_of_area', 'ready_to_print', 'printed', 'done'] as const;
  const t0 = Date.UTC(2026, 9, 1);
  for (let start = 0; start < count; start += 1000) {
    const em = db.em();
    const orders: Array<Partial<Order>> = [];
    const lines: Array<Partial<OrderLine>> = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const p = PROVINCES[i % PROVINCES.length]!;
      const sku = DEMO_CATALOGUE[i % DEMO_CATALOGUE.length]!;
      const id = `order:bench:${String(3_000_000_000_000_000 + i)}`;
      const paidAt = new Date(t0 + i * 60_000);
      orders.push({
        id, version: 2, status: statuses[i % statuses.length]!, reviewReasons: i % 5 === 0 ? '买家留言' : '', shopCode: 'bench',
        platformOrderNo: String(3_000_000_000_000_000 + i), platformStatus: 'WAIT_SELLER_SEND_GOODS', source: 'pull',
        buyerNick: `buyer_${i}`, receiverName: `${SURNAMES[i % SURNAMES.length]}${'小明'.slice(0, 1 + (i % 2))}`, receiverMobile: `138${String(i).padStart(8, '0')}`,
        province: p.full, city: `${p.short}市`, district: '城区', address: `幸福路 ${i} 号`, buyerMessage: i % 5 === 0 ? '请尽快发货' : '', sellerMemo: '',
        goodsFen: sku.priceFen, paidFen: sku.priceFen, itemCount: 1, mainSku: sku.code, courierCode: 'ZTO', warehouseCode: 'MAIN',
        paidAt, platformCreatedAt: paidAt, createdAt: paidAt, updatedAt: paidAt,
      });
      lines.push({ orderId: id, lineNo: 1, oid: String(i), skuCode: sku.code, barcode: ean13(i % 30), title: sku.productName, spec: sku.spec, qty: 1, priceFen: sku.priceFen, amountFen: sku.priceFen });
    }
    await em.insertMany(Order, orders);
    await em.insertMany(OrderLine, lines);
  }
}

export async function benchReviewList(options: { orders: number; requests: number }): Promise<Record<string, number>> {
  const testDb = await createTestDb();
  try {
    const db = testDb.db;
    await seedDemoData(db, { shopCode: 'bench', sandboxUrl: 'http://127.0.0.1:9/router/rest', appKey: 'k', appSecret: 's', sessionKey: 'bench-session', pullIntervalSeconds: 60, hashPassword: async (p) => p });
    await fill(db, options.orders);
    const em = db.em();
    const user = await em.findOneOrFail(User, { username: 'shendan' });
    const { cookieValue } = await createSession(em, user, 12, { ip: '127.0.0.1', userAgent: 'bench' });
    const temporal = new Client({ connection: Connection.lazy({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }), ...guanjiaClientOptions() });
    const app = createApp({ db, temporal, config: loadConfig({}).app });
    const headers = { cookie: `${SESSION_COOKIE}=${cookieValue}` };
    const shapes = [
      (i: number) => `/review?page=${1 + (i % 50)}`,
      (i: number) => `/review?province=${encodeURIComponent(PROVINCES[i % PROVINCES.length]!.short)}`,
      (i: number) => `/review?q=${encodeURIComponent(`buyer_${i * 37}`)}`,
      (i: number) => `/review?sort=amount&dir=desc&size=100&page=${1 + (i % 20)}`,
      (i: number) => `/review?status=all&size=200&page=${1 + (i % 10)}`,
    ];
    for (let i = 0; i < 10; i++) await app.request(shapes[i % shapes.length]!(i), { headers });
    const times: number[] = [];
    for (let i = 0; i < options.requests; i++) {
      const url = shapes[i % shapes.length]!(i);
      const t = process.hrtime.bigint();
      const res = await app.request(url, { headers });
      await res.text();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    }
    return { orders: options.orders, requests: options.requests, medianMs: Number(median(times).toFixed(1)), p95Ms: Number(percentile(times, 95).toFixed(1)), maxMs: Number(Math.max(...times).toFixed(1)) };
  } finally {
    await testDb.drop();
  }
}

if (require.main === module) {
  benchReviewList({ orders: 20_000, requests: 200 }).then((r) => console.log(r), (e: unknown) => { console.error(e); process.exit(1); });
}
