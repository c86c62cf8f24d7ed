/**
 * Taobao's refund calls, typed: pull refunds by modified window, read one, agree a return, agree refunds in
 * batches within the platform's limits, refuse. Every write is safe to repeat after a lost answer: a failed
 * or repeated call reads the refund back, and a refund already where the call would have put it counts as done.
 */
import { REFUND_PHASES, type RefundPhase } from '../../domain/platform-refund';
import { isoToTaobaoTime } from '../../domain/taobao';
import { pagesByModifiedWindow } from './modified-windows';
import { REFUND_SUB_CODES } from './refund-sub-codes';
import type { TaobaoRefund } from './taobao-refund';
import type { TopClient } from './top-client';
import { TopError } from './top-error';

/** What taobao.refunds.receive.get is asked for: enough to open or move a case; getRefund reads the rest. */
export const REFUND_LIST_FIELDS = [
  'refund_id', 'tid', 'oid', 'title', 'outer_id', 'num', 'buyer_nick', 'seller_nick', 'total_fee', 'payment',
  'refund_fee', 'status', 'order_status', 'good_status', 'has_good_return', 'reason', 'desc', 'created', 'modified',
  'dispute_type', 'refund_phase', 'sid', 'company_name', 'refund_version',
].join(',');

/** Everything taobao.refund.get can tell about one refund. */
export const REFUND_DETAIL_FIELDS = [
  REFUND_LIST_FIELDS, 'special_refund_type', 'good_return_time', 'refund_remind_timeout', 'address',
].join(',');

/** taobao.rp.refunds.agree takes at most this much in one call (Taobao's documented limits). */
export const AGREE_REFUNDS_LIMITS = { maxRefunds: 20, maxFen: 600_000 } as const;

export interface RefundPullQuery {
  start: Date | string;
  /** Keep it a minute or so behind now, as for trades. */
  end: Date | string;
  pageSize?: number;
}

/** Same contract as IncrementPage: windowDone marks a safe cursor at windowEnd. */
export interface RefundPage {
  windowStart: string;
  windowEnd: string;
  pageNo: number;
  refunds: TaobaoRefund[];
  windowDone: boolean;
}

export interface AgreeReturnGoodsInput {
  refundId: string;
  refundVersion: string;
  /** The seller's return contact and address the buyer sends the parcel to. */
  name: string;
  mobile: string;
  address: string;
  post?: string;
  remark?: string;
  /** Tmall requires it; Taobao ignores it. */
  phase?: RefundPhase;
  /** The seller's address book id (taobao.logistics.address.search contact_id), where the shop keeps one. */
  sellerAddressId?: string;
  tel?: string;
}

export interface AgreeRefundItem {
  refundId: string;
  amountFen: number;
  refundVersion: string;
  phase: RefundPhase;
}

export interface AgreeRefundResult {
  refundId: string;
  ok: boolean;
  /** The platform already showed the refund as SUCCESS: an earlier call (whose answer was lost) paid it. */
  alreadyDone: boolean;
  message: string;
  /** Refused because the refund changed since it was read: re-read with getRefund and decide again. */
  staleVersion: boolean;
  /** The refund's status as last known ('' when it could not be read). */
  status: string;
}

export interface RefuseRefundInput {
  refundId: string;
  refundVersion: string;
  phase: RefundPhase;
  /** Shown to the buyer; Taobao takes 2–200 characters. */
  reason: string;
  reasonId?: string;
}

export interface RefundActionResult {
  status: string;
  /** The refund was already where this call would have put it (a repeat after a lost answer). */
  alreadyDone: boolean;
}

interface RefundMappingResult {
  refund_id?: string | number;
  succ?: boolean | string;
  message?: string;
}

interface AgreeRefundsResponse {
  succ?: boolean;
  msg_code?: string;
  message?: string;
  results?: { refund_mapping_result?: RefundMappingResult[] } | RefundMappingResult[];
}

const DIGITS = /^\d{1,30}$/;
const RETURN_AGREED = new Set(['WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SUCCESS']);

/** The refund methods of TaobaoApi, on one TOP client. */
export function createRefundCalls(client: TopClient) {
  async function getRefund(refundId: string): Promise<TaobaoRefund> {
    requireDigits('refundId', refundId);
    const res = await client.call<{ refund?: TaobaoRefund }>('taobao.refund.get', { refund_id: refundId, fields: REFUND_DETAIL_FIELDS });
    if (!res.refund) {
      throw new TopError({ code: '15', msg: 'Remote service error', subCode: REFUND_SUB_CODES.refundNotExist, subMsg: `退款 ${refundId} 不存在`, method: 'taobao.refund.get' });
    }
    return normaliseRefund(res.refund);
  }

  /** A refused write whose effect is already on the platform resolves as done; anything else is rethrown. */
  async function settledElsewhere(err: unknown, refundId: string, done: (r: TaobaoRefund) => boolean): Promise<RefundActionResult> {
    if (!(err instanceof TopError) || err.retryable) throw err;
    const refund = await getRefund(refundId);
    if (done(refund)) return { status: refund.status, alreadyDone: true };
    throw err;
  }

  async function agreeBatch(batch: AgreeRefundItem[], code: string | undefined): Promise<AgreeRefundResult[]> {
    const res = await client.call<AgreeRefundsResponse>('taobao.rp.refunds.agree', {
      refund_infos: batch.map((i) => `${i.refundId}|${i.amountFen}|${i.refundVersion}|${i.phase}`).join(','),
      code,
    });
    const answers = Array.isArray(res.results) ? res.results : (res.results?.refund_mapping_result ?? []);
    const results: AgreeRefundResult[] = [];
    for (const item of batch) {
      const answer = answers.find((a) => String(a.refund_id) === item.refundId);
      if (answer && (answer.succ === true || answer.succ === 'true')) {
        results.push({ refundId: item.refundId, ok: true, alreadyDone: false, message: answer.message ?? '', staleVersion: false, status: 'SUCCESS' });
        continue;
      }
      const message = answer?.message || res.message || '平台未给出这笔退款的结果';
      // The platform's wording for "already refunded" and "version changed" is not published: the refund itself says which.
      const refund = await getRefund(item.refundId);
      if (refund.status === 'SUCCESS') {
        results.push({ refundId: item.refundId, ok: true, alreadyDone: true, message: `平台已显示退款成功 (${message})`, staleVersion: false, status: 'SUCCESS' });
      } else {
        const staleVersion = String(refund.refund_version ?? '') !== item.refundVersion;
        results.push({ refundId: item.refundId, ok: false, alreadyDone: false, message, staleVersion, status: refund.status });
      }
    }
    return results;
  }

  return {
    /** Pages of refunds modified in [start, end], by taobao.refunds.receive.get with use_has_next; see pagesByModifiedWindow. */
    async *pullRefunds(query: RefundPullQuery): AsyncGenerator<RefundPage> {
      const pages = pagesByModifiedWindow<TaobaoRefund>(
        query,
        async (window, pageNo, pageSize) => {
          const res = await client.call<{ has_next?: boolean; refunds?: { refund?: TaobaoRefund[] } }>('taobao.refunds.receive.get', {
            fields: REFUND_LIST_FIELDS,
            start_modified: isoToTaobaoTime(window.start),
            end_modified: isoToTaobaoTime(window.end),
            page_no: pageNo,
            page_size: pageSize,
            use_has_next: true,
          });
          return { rows: (res.refunds?.refund ?? []).map(normaliseRefund), hasNext: res.has_next === true };
        },
        (r) => r.refund_id,
      );
      for await (const { rows, ...page } of pages) yield { ...page, refunds: rows };
    },

    getRefund,

    /** 同意退货: the buyer may now send the goods back to this address (taobao.rp.returngoods.agree). */
    async agreeReturnGoods(input: AgreeReturnGoodsInput): Promise<RefundActionResult> {
      requireDigits('refundId', input.refundId);
      requireDigits('refundVersion', input.refundVersion);
      for (const key of ['name', 'mobile', 'address'] as const) {
        if (!input[key]?.trim()) throw new RangeError(`同意退货需要退货${{ name: '联系人', mobile: '手机', address: '地址' }[key]}`);
      }
      if (input.phase !== undefined) requirePhase(input.phase);
      try {
        await client.call('taobao.rp.returngoods.agree', {
          refund_id: input.refundId,
          refund_version: input.refundVersion,
          name: input.name.trim(),
          mobile: input.mobile.trim(),
          address: input.address.trim(),
          post: input.post,
          remark: input.remark,
          refund_phase: input.phase,
          seller_address_id: input.sellerAddressId,
          tel: input.tel,
        });
        return { status: 'WAIT_BUYER_RETURN_GOODS', alreadyDone: false };
      } catch (err) {
        return settledElsewhere(err, input.refundId, (r) => r.has_good_return && RETURN_AGREED.has(r.status));
      }
    },

    /**
     * 同意退款 (taobao.rp.refunds.agree), money in fen: split into calls of at most 20 refunds and ¥6,000, one
     * result per item. A refund the platform already shows as SUCCESS is ok + alreadyDone, so a repeat after a
     * lost answer pays nothing twice. A failed call throws (earlier calls stand; repeating the whole list is safe).
     */
    async agreeRefunds(items: AgreeRefundItem[], code?: string): Promise<AgreeRefundResult[]> {
      const ids = new Set<string>();
      for (const item of items) {
        requireDigits('refundId', item.refundId);
        requireDigits('refundVersion', item.refundVersion);
        requirePhase(item.phase);
        if (!Number.isSafeInteger(item.amountFen) || item.amountFen <= 0) {
          throw new RangeError(`退款 ${item.refundId} 的金额应为正整数分，收到 ${String(item.amountFen)}`);
        }
        if (ids.has(item.refundId)) throw new RangeError(`退款 ${item.refundId} 在一次同意里出现了两次`);
        ids.add(item.refundId);
      }
      const results = new Map<string, AgreeRefundResult>();
      const batches: AgreeRefundItem[][] = [];
      let batch: AgreeRefundItem[] = [];
      let batchFen = 0;
      for (const item of items) {
        if (item.amountFen > AGREE_REFUNDS_LIMITS.maxFen) {
          results.set(item.refundId, {
            refundId: item.refundId, ok: false, alreadyDone: false, staleVersion: false, status: '',
            message: `单笔退款超过平台一次同意的上限 ¥${AGREE_REFUNDS_LIMITS.maxFen / 100}，请在千牛/网页处理`,
          });
          continue;
        }
        if (batch.length === AGREE_REFUNDS_LIMITS.maxRefunds || batchFen + item.amountFen > AGREE_REFUNDS_LIMITS.maxFen) {
          batches.push(batch);
          batch = [];
          batchFen = 0;
        }
        batch.push(item);
        batchFen += item.amountFen;
      }
      if (batch.length > 0) batches.push(batch);
      for (const b of batches) {
        for (const r of await agreeBatch(b, code)) results.set(r.refundId, r);
      }
      return items.map((i) => results.get(i.refundId) as AgreeRefundResult);
    },

    /** 拒绝退款 (taobao.refund.refuse) with a reason the buyer sees. */
    async refuseRefund(input: RefuseRefundInput): Promise<RefundActionResult> {
      requireDigits('refundId', input.refundId);
      requireDigits('refundVersion', input.refundVersion);
      requirePhase(input.phase);
      const reason = input.reason.trim();
      if (reason.length < 2 || reason.length > 200) throw new RangeError('拒绝退款的说明应为 2 到 200 个字');
      try {
        const res = await client.call<{ refund?: { status?: string } }>('taobao.refund.refuse', {
          refund_id: input.refundId,
          refund_version: input.refundVersion,
          refund_phase: input.phase,
          refuse_message: reason,
          refuse_reason_id: input.reasonId,
        });
        return { status: res.refund?.status ?? 'SELLER_REFUSE_BUYER', alreadyDone: false };
      } catch (err) {
        return settledElsewhere(err, input.refundId, (r) => r.status === 'SELLER_REFUSE_BUYER');
      }
    },
  };
}

/** Ids and versions may arrive as JSON numbers; Guanjia keys everything on their digits. */
export function normaliseRefund(r: TaobaoRefund): TaobaoRefund {
  return {
    ...r,
    refund_id: String(r.refund_id),
    tid: String(r.tid),
    oid: String(r.oid),
    ...(r.num !== undefined ? { num: Number(r.num) } : {}),
    ...(r.has_good_return !== undefined ? { has_good_return: r.has_good_return === true || (r.has_good_return as unknown) === 'true' } : {}),
    ...(r.refund_version !== undefined && r.refund_version !== null ? { refund_version: String(r.refund_version) } : {}),
  };
}

/** Ids and versions go to the platform as digit strings; anything else is refused before a call is made. */
export function requireDigits(name: string, value: string): void {
  if (typeof value !== 'string' || !DIGITS.test(value)) throw new RangeError(`${name} 应为数字串，收到 "${String(value)}"`);
}

function requirePhase(phase: string): void {
  if (!(REFUND_PHASES as readonly string[]).includes(phase)) throw new RangeError(`退款阶段应为 onsale 或 aftersale，收到 "${phase}"`);
}
