/**
 * /admin on the sandbox platform: what a test or a demo does on the buyer's and Taobao's side (place
 * trades, ask refunds, close trades, cause faults) and what it checks (shipments, trades, waybills).
 * JSON, unsigned, never part of the TOP protocol.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { REFUND_STATUSES } from '../../domain/taobao';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import { TopError } from '../taobao/top-error';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import { NO_FAULTS, type SandboxFaults } from './sandbox-faults';
import type { SandboxState, SandboxTrade } from './sandbox-state';
import type { GenerateTradesOptions, RefundTradeOptions } from './sandbox-store';

/** What the admin routes need of the platform. */
export interface SandboxControls {
  readonly state: Readonly<SandboxState>;
  readonly faults: Readonly<SandboxFaults>;
  /** Calls that took effect and lost their answer (the answer-lost fault) since start. */
  readonly answersLost: number;
  setFaults(faults: Partial<SandboxFaults>): Readonly<SandboxFaults>;
  generateTrades(count: number, options?: GenerateTradesOptions): SandboxTrade[];
  getTrade(tid: string): SandboxTrade | undefined;
  refundTrade(tid: string, options?: RefundTradeOptions): TaobaoRefund[];
  closeTrade(tid: string): SandboxTrade;
  payTrade(tid: string): SandboxTrade;
}

const faultsBody = z
  .object({
    errorRate: z.number().min(0).max(1),
    failNextCalls: z.number().int().min(0),
    latencyMs: z.number().int().min(0).max(120_000),
    outage: z.union([z.boolean(), z.literal('reset')]),
    rateLimit: z.boolean(),
    answerLostRate: z.number().min(0).max(1),
    loseNextAnswers: z.number().int().min(0),
    methods: z.array(z.string()).nullable(),
  })
  .partial();
const generateBody = z.object({
  count: z.number().int().min(1).max(10_000).default(1),
  from: z.string().optional(),
  to: z.string().optional(),
  status: z.enum(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_PAY']).optional(),
});
const refundBody = z.object({
  oids: z.array(z.string()).optional(),
  status: z.enum(REFUND_STATUSES).exclude(['NO_REFUND']).optional(),
  reason: z.string().optional(),
});

export function sandboxAdminRoutes(sandbox: SandboxControls) {
  const trade = (tid: string): SandboxTrade => {
    const found = sandbox.getTrade(tid);
    if (!found) throw new TopError({ code: '15', msg: 'Remote service error', subCode: TOP_SUB_CODES.tradeNotExist, subMsg: `交易 ${tid} 不存在` });
    return found;
  };

  return new Hono()
    .get('/health', (c) => c.json({ ok: true, trades: sandbox.state.trades.length, answersLost: sandbox.answersLost }))
    .get('/faults', (c) => c.json(sandbox.faults))
    .post('/faults', async (c) => c.json(sandbox.setFaults(faultsBody.parse(await jsonBody(c.req.raw)))))
    .delete('/faults', (c) => c.json(sandbox.setFaults(NO_FAULTS)))
    .post('/trades/generate', async (c) => {
      const { count, ...options } = generateBody.parse(await jsonBody(c.req.raw));
      return c.json({ trades: sandbox.generateTrades(count, options) });
    })
    .get('/trades', (c) => {
      const status = c.req.query('status');
      const trades = sandbox.state.trades.filter((t) => !status || t.status === status);
      return c.json({ total: trades.length, trades });
    })
    .get('/trades/:tid', (c) => c.json(trade(c.req.param('tid'))))
    .post('/trades/:tid/refund', async (c) => {
      const refunds = sandbox.refundTrade(c.req.param('tid'), refundBody.parse(await jsonBody(c.req.raw)));
      return c.json({ trade: trade(c.req.param('tid')), refunds });
    })
    .post('/trades/:tid/close', (c) => c.json({ trade: sandbox.closeTrade(c.req.param('tid')) }))
    .post('/trades/:tid/pay', (c) => c.json({ trade: sandbox.payTrade(c.req.param('tid')) }))
    .get('/shipments', (c) => {
      const tid = c.req.query('tid');
      return c.json({ shipments: sandbox.state.shipments.filter((s) => !tid || s.tid === tid) });
    })
    .get('/refunds', (c) => {
      const tid = c.req.query('tid');
      return c.json({ refunds: sandbox.state.refunds.filter((r) => !tid || r.tid === tid) });
    })
    .get('/waybills', (c) => c.json({ waybills: sandbox.state.waybills }))
    .onError((err, c) => {
      if (err instanceof z.ZodError) return c.json({ error: 'invalid body', issues: err.issues }, 400);
      if (err instanceof SyntaxError) return c.json({ error: `invalid JSON: ${err.message}` }, 400);
      if (err instanceof TopError) {
        return c.json({ error: err.subMsg ?? err.msg, subCode: err.subCode }, err.subCode === TOP_SUB_CODES.tradeNotExist ? 404 : 409);
      }
      return c.json({ error: String(err) }, 500);
    });
}

/** POST bodies are optional: `curl -X POST …/close` needs none. */
async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  return text.trim() ? (JSON.parse(text) as unknown) : {};
}
