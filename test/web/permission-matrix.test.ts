/**
 * The permission matrix, generated from the app's own routes: every page route and every API operation, called as
 * each role and signed out, is allowed or refused exactly as domain/roles.ts says. A route that declares no
 * permission and is not on the public or signed-in list fails here, and so does an API operation whose OpenAPI
 * `x-permission` disagrees with the guard that really runs. The order workflow's validators are held to the same table.
 */
import { createApp } from '../../api/app';
import { PUBLIC_ROUTES, routeAccess, SIGNED_IN_ROUTES, type RouteAccess } from '../../api/auth/route-access';
import type { AppDeps } from '../../api/env';
import { AfterSaleCase, Order, OrderLine } from '../../db/entities';
import { DEMO_PASSWORD, DEMO_USERS } from '../../db/seeders/demo-data';
import { can, ROLES, type Actor, type Permission, type Role } from '../../domain/roles';
import { caseStateQuery } from '../../workflows/after-sale-messages';
import { markSyncedUpdate, orderStateQuery, reserveWaybillUpdate, reviewUpdate, shipUpdate } from '../../workflows/messages';
import { apiClient, createApiToken } from '../api/api-client';
import { orderDriver } from '../helpers/order-driver';
import { orderSteps } from '../helpers/order-steps';
import { eventually, startStack, type Stack } from '../helpers/stack';
import { createAgent, loginAgent, type Agent } from './web-fixture';
import { webDeps } from '../helpers/web-deps';

// The app is built before the stack exists so that its routes can name the tests; its dependencies are filled in below.
const deps = {} as AppDeps;
const app = createApp(deps);
const request = async (path: string, init?: RequestInit) => app.request(path, init);
const ROUTES = routeAccess(app);
const API_PREFIX = '/api/v1';
const isApi = (r: RouteAccess) => r.path === API_PREFIX || r.path.startsWith(`${API_PREFIX}/`);

/** A value for each path parameter that matches no record, so an allowed call reads or refuses and changes nothing. */
const SAMPLE_PARAMS: Record<string, string> = {
  id: '999999',
  file: 'P999999.pdf',
  name: 'app.css',
  locale: 'zh-CN',
  waybillNo: 'ZT0000000000',
};

function concretePath(pattern: string): string {
  return pattern.replace(/:(\w+)(\{[^}]*\})?\??/g, (_, name: string) => encodeURIComponent(SAMPLE_PARAMS[name] ?? 'x'));
}

const USERNAME = Object.fromEntries(ROLES.map((role) => [role, DEMO_USERS.find((u) => u.roles.length === 1 && u.roles[0] === role)?.username])) as Record<Role, string>;
const ACTORS = Object.fromEntries(ROLES.map((role) => [role, { username: USERNAME[role], displayName: USERNAME[role], roles: [role] } satisfies Actor])) as Record<Role, Actor>;

let stack: Stack;
let orderId: string;
const agents = new Map<Role, Agent>();
const tokens = new Map<Role, string>();

/** A signed-in browser per role; signed in again when a test signed it out. */
async function agentFor(role: Role): Promise<Agent> {
  const known = agents.get(role);
  if (known?.cookies.has('gj_sid')) return known;
  const fresh = await loginAgent(request, USERNAME[role], DEMO_PASSWORD);
  agents.set(role, fresh);
  return fresh;
}

beforeAll(async () => {
  stack = await startStack({ realPasswords: true });
  Object.assign(deps, webDeps(stack));
  for (const role of ROLES) {
    expect({ role, user: USERNAME[role] }).toEqual({ role, user: expect.any(String) as string });
    tokens.set(role, await createApiToken(stack.db, USERNAME[role]));
  }
  // One real order waiting for review, with its workflow running, for the decisions that must change nothing.
  orderId = (await orderSteps(stack).newOrder()).id;
});
afterAll(() => stack?.close());

type Who = Role | 'signed out';
const WHO: Who[] = [...ROLES, 'signed out'];

/** Calls the route the way its users do: pages as a signed-in browser with the session's CSRF token, the API with a token. */
async function call(route: RouteAccess, who: Who): Promise<Response> {
  const path = concretePath(route.path);
  if (isApi(route)) {
    const client = apiClient(app, who === 'signed out' ? null : tokens.get(who)!);
    if (route.method === 'GET') return client.raw(path);
    return client.raw(path, { method: route.method, headers: { 'content-type': 'application/json' }, body: '{}' });
  }
  const agent = who === 'signed out' ? createAgent(request) : await agentFor(who);
  return route.method === 'GET' ? agent.get(path) : agent.post(path, {});
}

function expectedOf(route: RouteAccess, who: Who): 'allowed' | 'forbidden' | 'sign in' {
  if (!route.signIn) return 'allowed';
  if (who === 'signed out') return 'sign in';
  return route.permissions.every((p) => can([who], p)) ? 'allowed' : 'forbidden';
}

/** What the caller saw, in the words of the matrix: let through, refused for the role, or sent to sign in. */
async function outcomeOf(route: RouteAccess, res: Response): Promise<string> {
  if (res.status === 401) {
    // The API asks for a token; a form posted without a session says the session ended.
    return !isApi(route) || res.headers.get('www-authenticate') === 'Bearer' ? 'sign in' : '401 without WWW-Authenticate';
  }
  const location = res.headers.get('location') ?? '';
  // A page sends a browser to the login form and back again afterwards (signing out also ends there, and is no refusal).
  if (route.method === 'GET' && res.status === 302 && location.startsWith('/login')) {
    return location === `/login?next=${encodeURIComponent(concretePath(route.path))}` ? 'sign in' : `redirect to ${location}`;
  }
  if (res.status === 403) {
    const text = await res.text();
    const roleRefusal = isApi(route) ? text.includes('"code":"forbidden"') : text.includes('没有权限');
    return roleRefusal ? 'forbidden' : `403 for another reason: ${text.slice(0, 120)}`;
  }
  if (res.status >= 500) return `server error ${res.status}`;
  return 'allowed';
}

describe('the route table', () => {
  it('gives every route a permission, or puts it on the public or signed-in list on purpose', () => {
    const undeclared = ROUTES.filter((r) => (!r.signIn && !(r.key in PUBLIC_ROUTES)) || (r.signIn && !r.permissions.length && !(r.key in SIGNED_IN_ROUTES)));
    expect(undeclared.map((r) => r.key)).toEqual([]);
    const byKey = new Map(ROUTES.map((r) => [r.key, r]));
    // The lists may not hold stale entries either: each names a route that exists and is as open as it says.
    for (const key of Object.keys(PUBLIC_ROUTES)) expect({ key, signIn: byKey.get(key)?.signIn }).toEqual({ key, signIn: false });
    for (const key of Object.keys(SIGNED_IN_ROUTES)) expect({ key, signIn: byKey.get(key)?.signIn, permissions: byKey.get(key)?.permissions }).toEqual({ key, signIn: true, permissions: [] });
  });

  it('covers reserving a tracking number on the page and in the API', () => {
    const reserving = ROUTES.filter((r) => r.permissions.includes('waybill.reserve')).map((r) => r.key);
    expect(reserving).toEqual(expect.arrayContaining(['POST /print/reserve', 'POST /api/v1/orders/:id/reserve-waybill']));
  });

  it('documents in the OpenAPI document exactly the permission each API operation checks', async () => {
    const doc = (await (await request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-permission'?: string }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, permission: op['x-permission'] })),
    );
    const guarded = ROUTES.filter((r) => isApi(r) && r.signIn).map((r) => ({ key: r.key, permission: r.permissions.join(' + ') }));
    expect(documented.sort((a, b) => a.key.localeCompare(b.key))).toEqual(guarded.sort((a, b) => a.key.localeCompare(b.key)));
    expect(guarded.length).toBeGreaterThanOrEqual(14);
  });
});

describe.each(ROUTES.map((r) => [r.key, r] as const))('%s', (_key, route) => {
  const rule = !route.signIn ? 'is open to everyone' : route.permissions.length ? `needs ${route.permissions.join(' and ')}` : 'needs only a sign-in';
  it(`${rule}: each role and a signed-out visitor get exactly what domain/roles.ts allows`, async () => {
    const seen: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const who of WHO) {
      expected[who] = expectedOf(route, who);
      seen[who] = await outcomeOf(route, await call(route, who));
    }
    expect(seen).toEqual(expected);
  });
});

describe('refused decisions', () => {
  const actionIds = (() => {
    let n = 0;
    return () => `5e1f0c2a-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  })();
  const state = async () => {
    const row = await stack.db.em().findOneOrFail(Order, { id: orderId });
    const live = await stack.client.workflow.getHandle(orderId).query(orderStateQuery);
    return { status: row.status, version: row.version, reviewedBy: row.reviewedBy, workflow: { status: live.status, version: live.version } };
  };

  it('leaves the order as it was when every role without order.review approves it, and the same approval by a reviewer goes through', async () => {
    const before = await state();
    expect(before.status).toBe('review');
    for (const role of ROLES.filter((r) => !can([r], 'order.review'))) {
      const page = await (await agentFor(role)).post('/review/approve', { actionId: actionIds(), pick: `${orderId}@${before.version}`, filter: '' });
      expect({ role, status: page.status }).toEqual({ role, status: 403 });
      const api = await apiClient(app, tokens.get(role)!).post(`/api/v1/orders/${encodeURIComponent(orderId)}/approve`, { actionId: actionIds(), expectedVersion: before.version });
      expect({ role, status: api.status }).toEqual({ role, status: 403 });
    }
    expect(await state()).toEqual(before);

    const approved = await (await agentFor('reviewer')).post('/review/approve', { actionId: actionIds(), pick: `${orderId}@${before.version}`, filter: '' });
    expect(approved.status).toBe(200);
    const after = await eventually(async () => {
      const s = await state();
      return s.status !== 'review' ? s : null;
    }, 'the reviewer’s approval to land');
    expect(after).toMatchObject({ reviewedBy: USERNAME.reviewer, workflow: { status: after.status } });
    expect(after.version).toBeGreaterThan(before.version);
  });
});

describe('refused case decisions', () => {
  let n = 0;
  const actionId = () => `5e1f0c2a-0000-4000-9000-${String(++n).padStart(12, '0')}`;
  let caseNo = '';
  const state = async () => {
    const row = await stack.db.em().findOneOrFail(AfterSaleCase, { caseNo });
    const live = await stack.client.workflow.getHandle(row.workflowId).query(caseStateQuery);
    return { stage: live.stage, version: live.version, approvedBy: live.approvedBy };
  };

  beforeAll(async () => {
    // A reissue waits for after-sales' approval as soon as customer service registers it.
    const { id } = await orderDriver(stack).shippedOrder();
    const [line] = await stack.db.em().find(OrderLine, { orderId: id }, { orderBy: { lineNo: 'asc' }, limit: 1 });
    const registered = await (await agentFor('customer_service')).post('/after-sales/register', { actionId: actionId(), type: 'reissue', reason: '少件/漏发', orderId: id, oid_0: line!.oid, qty_0: '1' });
    expect(registered.status).toBe(303);
    caseNo = decodeURIComponent(/\/after-sales\/cases\/([^?]+)/.exec(registered.headers.get('location') ?? '')?.[1] ?? '');
    await eventually(async () => (await state()).stage === 'awaiting_approval', `${caseNo} waiting for approval`);
  });

  it('leaves a case as it was when every role without aftersale.approve approves it, on the page or the API, and after-sales’ approval goes through', async () => {
    const before = await state();
    for (const role of ROLES.filter((r) => !can([r], 'aftersale.approve'))) {
      const page = await (await agentFor(role)).post(`/after-sales/cases/${caseNo}/approve`, { actionId: actionId(), expectedVersion: String(before.version), decision: 'approve' });
      expect({ role, status: page.status }).toEqual({ role, status: 403 });
      const api = await apiClient(app, tokens.get(role)!).post(`/api/v1/after-sales/cases/${caseNo}/approve`, { actionId: actionId(), expectedVersion: before.version, decision: 'approve' });
      expect({ role, status: api.status }).toEqual({ role, status: 403 });
    }
    expect(await state()).toEqual(before);

    const approved = await (await agentFor('after_sales')).post(`/after-sales/cases/${caseNo}/approve`, { actionId: actionId(), expectedVersion: String(before.version), decision: 'approve' });
    expect(approved.status).toBe(200);
    const after = await state();
    expect(after).toMatchObject({ approvedBy: USERNAME.after_sales });
    expect(after.stage).not.toBe('awaiting_approval');
    expect(after.version).toBeGreaterThan(before.version);
  });
});

describe('the order workflow’s validators', () => {
  /** Each decision with the permission it needs, sent so that a permitted role is still refused for another reason. */
  const DECISIONS: Array<{ name: string; permission: Permission; send: (id: string, actor: Actor, version: number) => Promise<unknown> }> = [
    {
      name: 'review',
      permission: 'order.review',
      // A version the order never had: a permitted reviewer is told the order changed, and nothing is approved.
      send: (id, actor, version) => stack.client.workflow.getHandle(id).executeUpdate(reviewUpdate, { args: [{ actor, decision: 'approve', expectedVersion: version + 100 }] }),
    },
    {
      name: 'reserveWaybill',
      permission: 'waybill.reserve',
      send: (id, actor) => stack.client.workflow.getHandle(id).executeUpdate(reserveWaybillUpdate, { args: [{ actor }] }),
    },
    {
      name: 'ship',
      permission: 'ship.scan',
      send: (id, actor) => stack.client.workflow.getHandle(id).executeUpdate(shipUpdate, { args: [{ actor, scannedBarcodes: [] }] }),
    },
    {
      name: 'markSynced',
      permission: 'sync.markSynced',
      send: (id, actor) => stack.client.workflow.getHandle(id).executeUpdate(markSyncedUpdate, { args: [{ actor, reason: '矩阵测试' }] }),
    },
  ];
  const refusalOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return 'accepted';
    } catch (err) {
      return (err as { cause?: { message?: string } }).cause?.message ?? String(err);
    }
  };

  let reviewOrder: string;
  beforeAll(async () => {
    // An order of its own still in review: the test above approved the first one.
    reviewOrder = (await orderSteps(stack).newOrder()).id;
  });

  it.each(DECISIONS.map((d) => [d.name, d.permission, d] as const))('refuses %s to every role without %s, and lets the others past the role check', async (_name, permission, decision) => {
    const handle = stack.client.workflow.getHandle(reviewOrder);
    const before = await handle.query(orderStateQuery);
    const seen: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const role of ROLES) {
      const refusal = await refusalOf(decision.send(reviewOrder, ACTORS[role], before.version));
      // The validators name the missing permission in one of two phrasings; anything else is a refusal on the merits.
      seen[role] = refusal === 'accepted' ? 'accepted' : /没有.*权限/.test(refusal) ? 'not permitted' : 'past the role check';
      expected[role] = can([role], permission) ? 'past the role check' : 'not permitted';
    }
    expect(seen).toEqual(expected);
    const after = await handle.query(orderStateQuery);
    expect({ status: after.status, version: after.version }).toEqual({ status: before.status, version: before.version });
  });
});
