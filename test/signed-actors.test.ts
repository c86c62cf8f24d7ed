/**
 * Decisions carry a signed actor: a decision sent straight to Temporal (as the CLI or UI would, with or without the
 * codec) without the web app's signature, with a forged or altered one, one made for another action or a stale one is
 * refused with the reason and changes nothing; the same decision through /api/v1 goes through. A person's "retry
 * now" signal without a signature is refused and recorded on the order's timeline.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { ValueError } from '@temporalio/common';
import { createApp } from '../api/app';
import { actorKeysOf, guanjiaDataConverter, temporalSecrets } from '../api/temporal/temporal-security';
import { AuditEvent } from '../db/entities';
import { signActor } from '../domain/actor-signature';
import type { Actor } from '../domain/roles';
import { orderStateQuery, retrySyncSignal, reviewUpdate, type ReviewDecision } from '../workflows/messages';
import { apiClient, createApiToken } from './api/api-client';
import { orderDriver } from './helpers/order-driver';
import { actors, eventually, startStack, type Stack } from './helpers/stack';

let stack: Stack;
let connection: Connection;
/** What someone with access to Temporal could use: the CLI's plain JSON, or a client with the codec but not the web's key. */
let plain: Client;
let withCodec: Client;

beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  plain = new Client({ connection });
  withCodec = new Client({ connection, dataConverter: guanjiaDataConverter() });
});
afterAll(async () => {
  await connection?.close();
  await stack?.close();
});

const keys = () => actorKeysOf(temporalSecrets());
const wrongKeys = () => [{ id: keys()[0]!.id, hex: randomBytes(32).toString('hex') }];

async function refusal(client: Client, id: string, actor: Actor, updateId: string): Promise<string> {
  const version = (await stack.client.workflow.getHandle(id).query(orderStateQuery)).version;
  const decision: ReviewDecision = { actor, expectedVersion: version, decision: 'approve' };
  try {
    await client.workflow.getHandle(id).executeUpdate(reviewUpdate, { args: [decision], updateId });
    return 'accepted';
  } catch (err) {
    // Failure text is encrypted too: a client without the codec cannot read the answer (the state check below shows it
    // was refused).
    if (err instanceof ValueError && /binary\/encrypted/.test(err.message)) return `answer unreadable: ${err.message}`;
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    return err.cause?.message ?? err.message;
  }
}

describe('signed actors', () => {
  it('refuses an approval sent straight to Temporal without a valid signature, saying why, and changes nothing', async () => {
    const driver = orderDriver(stack);
    const id = await driver.submit(driver.placeTrade(), ['review']);
    const before = await stack.client.workflow.getHandle(id).query(orderStateQuery);
    const reviewer = actors.reviewer;
    const now = new Date();
    const cases: Array<[string, Client, Actor, string, RegExp]> = (() => {
      const u = () => randomUUID();
      const own = u();
      const other = u();
      const stale = u();
      const tampered = u();
      return [
        ['unsigned, plain JSON as the CLI sends', plain, reviewer, u(), /^answer unreadable: .*binary\/encrypted/],
        ['unsigned, through the codec', withCodec, reviewer, u(), /没有管家网页的签名/],
        ['signed with a key that is not the web’s', withCodec, signActor(reviewer, wrongKeys(), own, now), own, /签名无效/],
        ['a customer-service signature given a reviewer’s roles', withCodec, { ...signActor(actors.customerService, keys(), tampered, now), roles: ['reviewer'] }, tampered, /签名无效/],
        ['a good signature made for another action', withCodec, signActor(reviewer, keys(), other, now), u(), /不属于这次操作/],
        ['a good signature eleven minutes old', withCodec, signActor(reviewer, keys(), stale, new Date(Date.now() - 11 * 60_000)), stale, /已过期/],
        ['a key id the workers do not know', withCodec, { ...reviewer, signature: { kid: 'k-unknown', actionId: 'x', at: now.toISOString(), mac: '00' } }, 'x1234567', /不在密钥环中/],
        ['the system actor claimed from outside', withCodec, { username: 'system', displayName: '系统', roles: ['admin'] }, u(), /没有管家网页的签名/],
      ];
    })();
    for (const [label, client, actor, updateId, reason] of cases) {
      expect({ label, answer: await refusal(client, id, actor, updateId) }).toEqual({ label, answer: expect.stringMatching(reason) as string });
    }
    const after = await stack.client.workflow.getHandle(id).query(orderStateQuery);
    expect({ status: after.status, version: after.version, reviewedBy: after.reviewedBy }).toEqual({ status: 'review', version: before.version, reviewedBy: '' });
  });

  it('lets the same approval through when the web app sends it, signed for its action id', async () => {
    const driver = orderDriver(stack);
    const id = await driver.submit(driver.placeTrade(), ['review']);
    const app = createApp({
      db: stack.db,
      temporal: stack.client,
      config: { taskQueue: stack.taskQueue, baseUrl: 'http://127.0.0.1:3000', secureCookies: false, sessionHours: 12, temporalUiUrl: 'http://127.0.0.1:8233' },
    });
    const api = apiClient(app, await createApiToken(stack.db, 'shendan'));
    const version = (await stack.client.workflow.getHandle(id).query(orderStateQuery)).version;
    const actionId = randomUUID();
    const res = await api.post<{ ok: boolean; status: string }>(`/api/v1/orders/${encodeURIComponent(id)}/approve`, { actionId, expectedVersion: version });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    const state = await stack.client.workflow.getHandle(id).query(orderStateQuery);
    expect(state.reviewedBy).toBe('shendan');
    expect(state.status).not.toBe('review');
  });

  it('refuses an unsigned "retry now" on a shipped order and records the refusal on its timeline; a signed one retries', async () => {
    const driver = orderDriver(stack);
    stack.sandbox.setFaults({ errorRate: 1, methods: ['taobao.logistics.offline.send'] });
    const { id } = await driver.shippedOrder();
    await eventually(async () => (await stack.client.workflow.getHandle(id).query(orderStateQuery)).sync.status === 'failing', 'sync to fail');
    await withCodec.workflow.getHandle(id).signal(retrySyncSignal, { actor: actors.warehouse });
    const refused = await eventually(async () => stack.db.em().findOne(AuditEvent, { entityId: id, action: 'actor_refused' }), 'the refusal on the timeline', 90_000);
    expect(refused.actor).toBe('system');
    expect(refused.reason).toContain('cangku');
    expect(refused.reason).toContain('没有管家网页的签名');
    expect(await stack.db.em().count(AuditEvent, { entityId: id, action: 'sync_retry_requested' })).toBe(0);

    stack.sandbox.setFaults({ errorRate: 0, methods: null });
    await stack.client.workflow.getHandle(id).signal(retrySyncSignal, { actor: actors.warehouse });
    const retried = await eventually(async () => stack.db.em().findOne(AuditEvent, { entityId: id, action: 'sync_retry_requested' }), 'the signed retry');
    expect(retried.actor).toBe('cangku');
  });

  it('keeps the actor key out of the source the SDK shows in stack traces: only the bundle’s compiled code holds it', async () => {
    const hex = keys()[0]!.hex;
    const bundle = fs.readFileSync(process.env.GJ_WORKFLOW_BUNDLE!, 'utf8');
    const marker = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';
    const at = bundle.lastIndexOf(marker.slice(0, 40));
    expect(at).toBeGreaterThan(0);
    const map = JSON.parse(Buffer.from(bundle.slice(bundle.indexOf('base64,', at) + 7).trim(), 'base64').toString('utf8')) as { sourcesContent: string[] };
    const sources = map.sourcesContent.join('\n');
    expect(sources).toContain('__GUANJIA_ACTOR_KEYS__');
    expect(sources).not.toContain(hex);
    // The injection did happen: the compiled code the worker runs has the key, so the silence above means something.
    expect(bundle.slice(0, at)).toContain(hex);
    const driver = orderDriver(stack);
    const id = await driver.submit(driver.placeTrade(), ['review']);
    expect(JSON.stringify(await stack.client.workflow.getHandle(id).query('__enhanced_stack_trace'))).not.toContain(hex);
  });
});
