/**
 * The web app on a fresh database with real users (argon2 passwords), a few shops, couriers and orders, and a
 * Temporal client for the shared test server; requests go through app.request() with a cookie jar per user.
 */
import { Client, Connection } from '@temporalio/client';
import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import { guanjiaClientOptions } from '../../api/temporal/temporal-security';
import { hashPassword } from '../../api/auth/passwords';
import type { AppEnv, Views } from '../../api/env';
import { createViews } from '../../api/views';
import { Courier, Order, OrderLine, Shop, Sku, User, Warehouse, Product } from '../../db/entities';
import type { Db } from '../../db/orm';
import type { Role } from '../../domain/roles';
import { createTestDb, type TestDb } from '../helpers/test-db';

export const PASSWORD = 'correct-horse-9';

export const USERS: Record<string, { displayName: string; roles: Role[] }> = {
  admin: { displayName: '管理员 老王', roles: ['admin'] },
  shendan: { displayName: '审单 阿强', roles: ['reviewer'] },
  cangku: { displayName: '仓库 大刘', roles: ['warehouse'] },
  kefu: { displayName: '客服 小美', roles: ['customer_service'] },
  caiwu: { displayName: '财务 小陈', roles: ['finance'] },
  chuna: { displayName: '出纳 小李', roles: ['finance'] },
};

let sharedViews: Views | undefined;

export interface Agent {
  username: string;
  cookies: Map<string, string>;
  csrf: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form; the session's CSRF token (for /login: the login form's) is added unless `csrf` says otherwise. */
  post(path: string, form?: Record<string, string | string[]> | FormData, options?: { csrf?: string | false; headers?: Record<string, string> }): Promise<Response>;
}

export interface WebFixture {
  app: Hono<AppEnv>;
  db: Db;
  temporal: Client;
  request(path: string, init?: RequestInit): Promise<Response>;
  agent(): Agent;
  login(username: string, password?: string): Promise<Agent>;
  close(): Promise<void>;
}

export interface OrderSeed extends Partial<Order> {
  lines?: Array<Partial<OrderLine>>;
}

let seq = 0;

/** Inserts read-model orders as the workflow's activities would have written them. */
export async function seedOrders(db: Db, seeds: OrderSeed[]): Promise<Order[]> {
  const em = db.em();
  const out: Order[] = [];
  for (const s of seeds) {
    seq += 1;
    const shopCode = s.shopCode ?? 'zhiyuan';
    const no = s.platformOrderNo ?? String(4100000000000000000n + BigInt(seq));
    const { lines, ...fields } = s;
    const order = em.create(Order, {
      id: `order:${shopCode}:${no}`,
      version: 1,
      status: 'review',
      shopCode,
      platformOrderNo: no,
      buyerNick: `buyer${seq}`,
      receiverName: '张伟',
      receiverMobile: `139${String(seq).padStart(8, '0')}`,
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      address: `文三路 ${seq} 号`,
      buyerMessage: '',
      sellerMemo: '',
      paidFen: 1000 + seq,
      paidAt: new Date(Date.UTC(2026, 10, 20, 2, 0, 0) + seq * 60_000),
      createdAt: new Date(),
      updatedAt: new Date(),
      ...fields,
    });
    (lines ?? [{ skuCode: 'CUP-BLUE', barcode: '6901', title: '保温杯', spec: '蓝色', qty: 1 }]).forEach((l, i) =>
      em.create(OrderLine, { orderId: order.id, lineNo: i + 1, oid: `${no}-${i}`, skuCode: '', barcode: '', title: '', spec: '', qty: 1, priceFen: 1000, amountFen: 1000, isGift: false, ...l }),
    );
    out.push(order);
  }
  await em.flush();
  return out;
}

function setCookies(jar: Map<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const [name, ...rest] = (pair ?? '').split('=');
    const value = rest.join('=');
    const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '';
    if (name) {
      if (expired) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
  }
}

export async function startWebFixture(options: { secureCookies?: boolean } = {}): Promise<WebFixture> {
  const testDb: TestDb = await createTestDb();
  const { db } = testDb;
  const em = db.em();
  em.create(Shop, { code: 'zhiyuan', platform: 'taobao', name: '致远旗舰店', apiUrl: '', appKey: '', appSecret: '', sessionKey: '', signMethod: 'md5', pullIntervalSeconds: 60, shipByHours: 48, createdAt: new Date() });
  em.create(Shop, { code: 'hongyun', platform: 'taobao', name: '鸿运食品', apiUrl: '', appKey: '', appSecret: '', sessionKey: '', signMethod: 'md5', pullIntervalSeconds: 60, shipByHours: 48, createdAt: new Date() });
  em.create(Courier, { code: 'ZTO', name: '中通快递', provider: 'pool', isDefault: true, regionsNotServed: ['新疆'] });
  em.create(Courier, { code: 'SF', name: '顺丰速运', provider: 'pool' });
  em.create(Warehouse, { code: 'MAIN', name: '本地仓库', kind: 'normal', isDefault: true });
  em.create(Product, { code: 'CUP', name: '保温杯' });
  em.create(Sku, { productId: 1, code: 'CUP-BLUE', barcode: '6901', name: '保温杯', spec: '蓝色' });
  const hash = await hashPassword(PASSWORD);
  for (const [username, u] of Object.entries(USERS)) em.create(User, { username, ...u, passwordHash: hash, createdAt: new Date() });
  await em.flush();

  const connection = Connection.lazy({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const temporal = new Client({ connection, ...guanjiaClientOptions() });
  sharedViews ??= createViews();
  const app = createApp(
    {
      db,
      temporal,
      config: { taskQueue: 'guanjia-web-test', baseUrl: 'http://127.0.0.1:3000', secureCookies: options.secureCookies ?? false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
    },
    { views: sharedViews },
  );
  const request = async (path: string, init?: RequestInit) => app.request(path, init);

  const agent = (): Agent => createAgent(request);

  return {
    app,
    db,
    temporal,
    request,
    agent,
    login: (username, password = PASSWORD) => loginAgent(request, username, password),
    async close() {
      await connection.close().catch(() => undefined);
      await testDb.drop();
    },
  };
}

type RequestFn = (path: string, init?: RequestInit) => Promise<Response>;

/** A browser-like client for app.request(): keeps cookies and adds the session's CSRF token to forms. */
export function createAgent(request: RequestFn): Agent {
  const a: Agent = {
    username: '',
    cookies: new Map(),
    csrf: '',
    async get(path, headers = {}) {
      const res = await request(path, { headers: { cookie: cookieHeader(a.cookies), ...headers } });
      setCookies(a.cookies, res);
      return res;
    },
    async post(path, form = {}, opts = {}) {
      const body = form instanceof FormData ? form : new URLSearchParams();
      if (!(form instanceof FormData)) {
        for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
      }
      const token = opts.csrf === undefined ? (path === '/login' ? await loginFormToken(a) : a.csrf) : opts.csrf;
      if (token !== false && token) body.append('_csrf', token);
      const res = await request(path, { method: 'POST', body, headers: { cookie: cookieHeader(a.cookies), ...(opts.headers ?? {}) } });
      setCookies(a.cookies, res);
      return res;
    },
  };
  return a;
}

export async function loginAgent(request: RequestFn, username: string, password: string): Promise<Agent> {
  const a = createAgent(request);
  a.username = username;
  const res = await a.post('/login', { username, password });
  if (res.status !== 303) throw new Error(`login as ${username} failed: ${res.status}`);
  const page = await a.get('/account/tokens');
  a.csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return a;
}

/** What a browser sends when it signs in: the token of the login form it was shown, bound to that page's cookie. */
export async function loginFormToken(a: Agent): Promise<string> {
  const html = await (await a.get('/login')).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}
