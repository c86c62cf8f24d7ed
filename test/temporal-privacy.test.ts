/**
 * Temporal holds no buyer data in clear: an order pulled from the platform and approved leaves its buyer's name,
 * phone and street address in no event of any workflow's history as the Temporal server stores it (read with a
 * client that has no codec, as the Temporal UI or CLI would), while the project's own codec reads them back.
 */
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { guanjiaDataConverter } from '../api/temporal/temporal-security';
import type { OrderDraft } from '../domain/order-draft';
import { orderSteps } from './helpers/order-steps';
import { startStack, type Stack } from './helpers/stack';

let stack: Stack;
let raw: Client;
let connection: Connection;

beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  raw = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
  await stack?.close();
});

/** Every workflow this stack ran, with its history exactly as the server keeps it. */
async function storedHistories(): Promise<Array<{ workflowId: string; bytes: Buffer; history: temporal.api.history.v1.IHistory }>> {
  const out = [];
  for await (const w of raw.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) {
    const history = await raw.workflow.getHandle(w.workflowId, w.runId).fetchHistory();
    out.push({ workflowId: w.workflowId, history, bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()) });
  }
  return out;
}

describe('Temporal as a private control plane', () => {
  it('keeps the buyer’s name, phone and address out of every stored history, and the codec reads them back', async () => {
    const steps = orderSteps(stack);
    const { id, trade } = await steps.newOrder();
    expect((await steps.approve(id)).ok).toBe(true);
    await steps.waitForStatus(id, ['ready_to_print', 'waybill_pending']);
    const secrets = { name: trade.receiver_name ?? '', mobile: trade.receiver_mobile ?? '', address: trade.receiver_address ?? '' };
    expect(secrets.mobile).toMatch(/^1\d{10}$/);
    expect(secrets.address.length).toBeGreaterThan(3);
    expect(secrets.name.length).toBeGreaterThan(1);

    const histories = await storedHistories();
    // The pull and the order at least: the test looks where the buyer's data went.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining([id, expect.stringMatching(/^shop-pull:/)]));
    for (const h of histories) {
      for (const [field, value] of Object.entries(secrets)) {
        expect({ workflowId: h.workflowId, field, inClear: h.bytes.includes(Buffer.from(value, 'utf8')) }).toEqual({ workflowId: h.workflowId, field, inClear: false });
      }
    }

    // The order's input as stored says only that it is encrypted, and with which key.
    const order = histories.find((h) => h.workflowId === id)!;
    const [input] = order.history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    expect(Buffer.from(input!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input!.metadata!['encryption-key-id']!).toString()).toBe('test-codec-1');
    const [codec] = guanjiaDataConverter().payloadCodecs!;
    const [clear] = await codec!.decode([input!]);
    // The same byte search finds the phone in a clear payload, so its silence above means something.
    expect(Buffer.from(clear!.data!).includes(Buffer.from(secrets.mobile, 'utf8'))).toBe(true);
    const { draft } = defaultPayloadConverter.fromPayload<{ draft: OrderDraft }>(clear!);
    expect(draft.receiver).toEqual(expect.objectContaining({ name: secrets.name, mobile: secrets.mobile }));
    expect(JSON.stringify(draft.receiver)).toContain(secrets.address);
  });
});
