/** Translates between the Chinese trade status Taobao's order export prints and the API's status codes. */
import { TRADE_STATUSES, type TradeStatus } from '../../domain/taobao';

/** The wording the seller centre export uses for each status; the reverse map also accepts older wordings. */
const LABELS: Readonly<Record<TradeStatus, string>> = {
  TRADE_NO_CREATE_PAY: '没有创建支付宝交易',
  WAIT_BUYER_PAY: '等待买家付款',
  SELLER_CONSIGNED_PART: '卖家部分发货',
  WAIT_SELLER_SEND_GOODS: '买家已付款，等待卖家发货',
  WAIT_BUYER_CONFIRM_GOODS: '卖家已发货，等待买家确认',
  TRADE_BUYER_SIGNED: '买家已签收',
  TRADE_FINISHED: '交易成功',
  TRADE_CLOSED: '交易关闭',
  TRADE_CLOSED_BY_TAOBAO: '付款以前，卖家或买家主动关闭交易',
  PAY_PENDING: '外卡支付付款确认中',
};

const ALIASES: ReadonlyArray<readonly [string, TradeStatus]> = [
  ['等待卖家发货', 'WAIT_SELLER_SEND_GOODS'],
  ['买家已付款', 'WAIT_SELLER_SEND_GOODS'],
  ['已付款', 'WAIT_SELLER_SEND_GOODS'],
  ['卖家已发货', 'WAIT_BUYER_CONFIRM_GOODS'],
  ['等待买家确认收货', 'WAIT_BUYER_CONFIRM_GOODS'],
  ['卖家已发货，等待买家确认收货', 'WAIT_BUYER_CONFIRM_GOODS'],
  ['已发货', 'WAIT_BUYER_CONFIRM_GOODS'],
  ['部分发货', 'SELLER_CONSIGNED_PART'],
  ['已签收', 'TRADE_BUYER_SIGNED'],
  ['交易完成', 'TRADE_FINISHED'],
  ['付款确认中', 'PAY_PENDING'],
];

// Exports differ in comma and parenthesis width and in spacing; compare the bare wording.
function bare(label: string): string {
  return label
    .replace(/[\s\u3000]/g, '')
    .replace(/,/g, '，')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

const BY_LABEL = new Map<string, TradeStatus>([
  ...TRADE_STATUSES.map((s) => [bare(LABELS[s]), s] as const),
  ...ALIASES.map(([label, s]) => [bare(label), s] as const),
]);

/** Returns the status code for an export label (or a code typed as such), or null when it is not a known status. */
export function taobaoStatusFromLabel(label: string): TradeStatus | null {
  const text = bare(label);
  if ((TRADE_STATUSES as readonly string[]).includes(text)) return text as TradeStatus;
  const hit = BY_LABEL.get(text);
  if (hit) return hit;
  // "交易关闭（买家未付款）" is closed before payment; any other reason in brackets is a refund after payment.
  if (text.startsWith('交易关闭')) return /未付款|付款以前/.test(text) ? 'TRADE_CLOSED_BY_TAOBAO' : 'TRADE_CLOSED';
  return null;
}

/** The label the seller centre export prints for a status code, so generated files read like real ones. */
export function taobaoStatusLabel(status: string): string {
  return (TRADE_STATUSES as readonly string[]).includes(status) ? LABELS[status as TradeStatus] : status;
}
