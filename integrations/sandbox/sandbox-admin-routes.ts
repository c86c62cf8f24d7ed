/**
 * /admin on the sandbox platform: what a test or a demo does on the buyer's and Taobao's side (place
 * trades, ask, return and cancel refunds, ask exchanges, close trades, cause faults) and what it checks
 * (shipments, trades, refunds, refund payments, exchanges, waybills). JSON, unsigned, never part of the TOP protocol.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DISPUTE_TYPES, REFUND_PHASES } from '../../domain/platform-refund';
import { REFUND_STATUSES } from '../../domain/taobao';
import { REFUND_SUB_CODES } from '../taobao/refund-sub-codes';
import type { TaobaoRefund } from '../taobao/taobao-refund';
import { TopError } from '../taobao/top-error';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import type { AskExchangeOptions } from './exchange-book';
import type { AskRefundOptions, RefundTradeOptions } from './refund-book';
import { NO_FAULTS, type SandboxFaults } from './sandbox-faults';
import type { SandboxExchange, SandboxState, SandboxTrade } from './sandbox-state';
import type { SandboxItem } from './sandbox-state';
import type { GenerateTradesOptions, ListItemInput } from './sandbox-store';

/** What the admin routes need of the platform. */
export interface SandboxControls {
  readonly state: Readonly<SandboxState>;
  readonly faults: Readonly<SandboxFaults>;
  /** Calls that took effect and lost their answer (the answer-lost fault) since start. */
  readonly answersLost: number;
  setFaults(faults: Partial<SandboxFaults>): Readonly<SandboxFaults>;
  generateTrades(count: number, options?: GenerateTradesOptions): SandboxTrade[];
  getTrade(tid: string): SandboxTrade | undefined;
  /** The seller lists a new item on the platform (its outer ids may match nothing in Guanjia). */
  listItem(input: ListItemInput): SandboxItem;
  refundTrade(tid: string, options?: RefundTradeOptions): TaobaoRefund[];
  closeTrade(tid: string): SandboxTrade;
  payTrade(tid: string): SandboxTrade;
  /** The buyer asks a refund (before or after shipment, with or without goods, whole or part). */
  askRefund(tid: string, options?: AskRefundOptions): TaobaoRefund[];
  sendReturnParcel(refundId: string, parcel: { companyName: string; sid: string }): TaobaoRefund;
  cancelRefund(refundId: string): TaobaoRefund;
  getRefund(refundId: string): TaobaoRefund | undefined;
  listRefunds(tid?: string): TaobaoRefund[];
  askExchange(tid: string, options: AskExchangeOptions): SandboxExchange;
  sendExchangeReturnParcel(disputeId: string, parcel: { companyName: string; sid: string }): SandboxExchange;
  confirmExchangeReceived(disputeId: string): SandboxExchange;
  cancelExchange(disputeId: string): SandboxExchange;
  getExchange(disputeId: string): SandboxExchange | undefined;
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
  outerSkuIds: z.array(z.string()).min(1).optional(),
});
const itemBody = z.object({
  title: z.string().trim().min(1),
  outerId: z.string().trim().optional(),
  priceFen: z.number().int().positive(),
  skus: z.array(z.object({ outerId: z.string().trim().optional(), props: z.string().trim().min(1), priceFen: z.number().int().positive().optional(), quantity: z.number().int().min(0).optional() })).optional(),
});
const refundBody = z.object({
  oids: z.array(z.string()).optional(),
  status: z.enum(REFUND_STATUSES).exclude(['NO_REFUND']).optional(),
  reason: z.string().optional(),
});

const askRefundBody = z.object({
  oids: z.array(z.string()).min(1).optional(),
  amountFen: z.number().int().positive().optional(),
  hasGoodReturn: z.boolean().optional(),
  disputeType: z.enum(DISPUTE_TYPES).optional(),
  reason: z.string().min(1).optional(),
  desc: z.string().optional(),
  phase: z.enum(REFUND_PHASES).optional(),
});
const parcelBody = z.object({ companyName: z.string().trim().min(1), sid: z.string().trim().min(1) });
const exchangeBody = z.object({
  oid: z.string().min(1),
  exchangeSku: z.string().optional(),
  reason: z.string().min(1).optional(),
  desc: z.string().optional(),
});
const NOT_FOUND = new Set<string>([TOP_SUB_CODES.tradeNotExist, REFUND_SUB_CODES.refundNotExist, REFUND_SUB_CODES.exchangeNotExist]);

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
    .get('/items', (c) => c.json({ items: sandbox.state.items }))
    .post('/items', async (c) => c.json({ item: sandbox.listItem(itemBody.parse(await jsonBody(c.req.raw))) }))
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
    .post('/trades/:tid/refunds', async (c) => {
      const refunds = sandbox.askRefund(c.req.param('tid'), askRefundBody.parse(await jsonBody(c.req.raw)));
      return c.json({ trade: trade(c.req.param('tid')), refunds });
    })
    .post('/trades/:tid/exchanges', async (c) => {
      const exchange = sandbox.askExchange(c.req.param('tid'), exchangeBody.parse(await jsonBody(c.req.raw)));
      return c.json({ exchange, refund: sandbox.getRefund(exchange.dispute_id) });
    })
    .get('/refunds', (c) => c.json({ refunds: sandbox.listRefunds(c.req.query('tid') || undefined) }))
    .get('/refunds/:id', (c) => {
      const refund = sandbox.getRefund(c.req.param('id'));
      return refund ? c.json(refund) : c.json({ error: `退款 ${c.req.param('id')} 不存在` }, 404);
    })
    .post('/refunds/:id/return-parcel', async (c) => {
      return c.json({ refund: sandbox.sendReturnParcel(c.req.param('id'), parcelBody.parse(await jsonBody(c.req.raw))) });
    })
    .post('/refunds/:id/cancel', (c) => c.json({ refund: sandbox.cancelRefund(c.req.param('id')) }))
    .get('/refund-payments', (c) => {
      const tid = c.req.query('tid');
      const refundId = c.req.query('refundId');
      const payments = sandbox.state.refundPayments.filter((p) => (!tid || p.tid === tid) && (!refundId || p.refund_id === refundId));
      return c.json({ payments, totalFen: payments.reduce((s, p) => s + p.amount_fen, 0) });
    })
    .get('/exchanges', (c) => {
      const tid = c.req.query('tid');
      return c.json({ exchanges: sandbox.state.exchanges.filter((e) => !tid || e.tid === tid) });
    })
    .get('/exchanges/:id', (c) => {
      const exchange = sandbox.getExchange(c.req.param('id'));
      return exchange ? c.json(exchange) : c.json({ error: `换货单 ${c.req.param('id')} 不存在` }, 404);
    })
    .post('/exchanges/:id/return-parcel', async (c) => {
      return c.json({ exchange: sandbox.sendExchangeReturnParcel(c.req.param('id'), parcelBody.parse(await jsonBody(c.req.raw))) });
    })
    .post('/exchanges/:id/received', (c) => c.json({ exchange: sandbox.confirmExchangeReceived(c.req.param('id')) }))
    .post('/exchanges/:id/cancel', (c) => c.json({ exchange: sandbox.cancelExchange(c.req.param('id')) }))
    .get('/waybills', (c) => c.json({ waybills: sandbox.state.waybills }))
    .onError((err, c) => {
      if (err instanceof z.ZodError) return c.json({ error: 'invalid body', issues: err.issues }, 400);
      if (err instanceof SyntaxError) return c.json({ error: `invalid JSON: ${err.message}` }, 400);
      if (err instanceof TopError) {
        const invalid = err.code === '40' || err.code === '41';
        return c.json({ error: err.subMsg ?? err.msg, subCode: err.subCode }, NOT_FOUND.has(err.subCode ?? '') ? 404 : invalid ? 400 : 409);
      }
      return c.json({ error: String(err) }, 500);
    });
}

/** POST bodies are optional: `curl -X POST …/close` needs none. */
async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  return text.trim() ? (JSON.parse(text) as unknown) : {};
}
