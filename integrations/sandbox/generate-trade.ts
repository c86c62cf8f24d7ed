/**
 * One realistic Taobao trade from the seller's own catalogue: money in integer fen until it is written
 * as yuan, so payment always equals the lines' payments plus postage.
 */
import { fenToYuan } from '../../domain/money';
import { isoToTaobaoTime } from '../../domain/taobao';
import { randomAddress } from './random-address';
import { randomBuyer } from './random-buyer';
import type { SandboxOrder, SandboxTrade } from './sandbox-state';
import type { SeededRandom } from './seeded-random';

/** One of the shop's SKUs; 商家编码 (outerSkuId) is what Guanjia matches lines on. */
export interface SandboxCatalogueItem {
  outerSkuId: string;
  title: string;
  priceFen: number;
  /** sku_properties_name, "颜色分类:黑色;尺码:M", or the same as an object. */
  props?: string | Readonly<Record<string, string>>;
  /** 商品编码 of the listing the SKU belongs to. */
  outerIid?: string;
  /** The listing's num_iid and the SKU's sku_id (absent for an item without SKUs), as trades carry them. */
  numIid?: string;
  skuId?: string;
}

export type GeneratedStatus = 'WAIT_SELLER_SEND_GOODS' | 'WAIT_BUYER_PAY';

export interface GenerateTradeInput {
  rng: SeededRandom;
  catalogue: readonly SandboxCatalogueItem[];
  sellerNick: string;
  /** When the trade was last changed: paid (or placed, if unpaid). */
  modified: Date;
  status?: GeneratedStatus;
  /** A fresh numeric id of the given length, unique among all the sandbox's ids. */
  newId: (digits: number) => string;
}

const BUYER_MESSAGES = [
  '请发中通快递，谢谢', '周末不在家，请工作日送达', '送人的，不要放价格单', '麻烦尽快发货，急用', '帮忙检查一下质量再发',
  '能不能发顺丰？差价可以补', '地址是公司，前台代收即可', '请用纸箱包装，谢谢', '颜色要和图片一样', '放门口就行，不用打电话',
];
const SELLER_MEMOS = ['老客户，送小样', '已改价，按备注发货', '发顺丰，差价已收', '优先发货', '买家要求开发票', '赠品：钥匙扣一个', '与上一单合并发'];
const REMOTE_STATES = ['新疆', '西藏', '青海', '内蒙古', '香港', '澳门', '台湾'];
const POSTAGE_FEN = [500, 600, 800, 1000, 1200];
/** Some buyers order by the case: enough that the trade crosses 999 yuan, where SF takes over. */
const BULK_THRESHOLD_FEN = 99_900;

export function generateTrade(input: GenerateTradeInput): SandboxTrade {
  const { rng, catalogue } = input;
  const address = randomAddress(rng);
  const buyer = randomBuyer(rng, address.state, address.areaCode);
  const status = input.status ?? (rng.chance(0.06) ? 'WAIT_BUYER_PAY' : 'WAIT_SELLER_SEND_GOODS');
  const bulk = rng.chance(0.04);
  const lineCount = Math.min(rng.weighted([1, 2, 3, 4], (n) => [60, 25, 10, 5][n - 1] ?? 0), catalogue.length);
  const skus = pickDistinct(rng, catalogue, lineCount);
  if (bulk) skus.sort((a, b) => b.priceFen - a.priceFen);

  const tid = input.newId(rng.chance(0.8) ? 19 : 18);
  const lines = skus.map((sku, i) => {
    let num = rng.weighted([1, 2, 3, 4, 5], (n) => [75, 15, 5, 3, 2][n - 1] ?? 0);
    if (bulk && i === 0) num = Math.max(num, Math.ceil(BULK_THRESHOLD_FEN / sku.priceFen));
    const totalFen = sku.priceFen * num;
    const discountFen =
      !bulk && totalFen >= 2_000 && rng.chance(0.2) ? rng.int(1, Math.floor((totalFen * 0.15) / 100)) * 100 : 0;
    return { sku, num, totalFen, discountFen, paymentFen: totalFen - discountFen };
  });
  const remote = REMOTE_STATES.some((s) => address.state.startsWith(s));
  const postFen = remote
    ? rng.chance(0.7) ? rng.int(10, 25) * 100 : 0
    : rng.chance(0.3) ? rng.pick(POSTAGE_FEN) : 0;

  const paid = status !== 'WAIT_BUYER_PAY';
  const modified = input.modified;
  const created = paid ? new Date(modified.getTime() - rng.int(10, 2_400) * 1_000) : modified;
  const orders: SandboxOrder[] = lines.map((line) => ({
    // Taobao gives a one-line trade's only sub-order the trade's own number.
    oid: lines.length === 1 ? tid : input.newId(19),
    title: line.sku.title,
    outer_sku_id: line.sku.outerSkuId,
    ...(line.sku.outerIid ? { outer_iid: line.sku.outerIid } : {}),
    ...(line.sku.props ? { sku_properties_name: propsText(line.sku.props) } : {}),
    ...(line.sku.numIid ? { num_iid: line.sku.numIid } : {}),
    ...(line.sku.skuId ? { sku_id: line.sku.skuId } : {}),
    num: line.num,
    price: fenToYuan(line.sku.priceFen),
    total_fee: fenToYuan(line.totalFen),
    discount_fee: fenToYuan(line.discountFen),
    payment: fenToYuan(line.paymentFen),
    refund_status: 'NO_REFUND',
    status,
  }));
  const sum = (pick: (l: (typeof lines)[number]) => number): number => lines.reduce((s, l) => s + pick(l), 0);

  return {
    tid,
    status,
    type: 'fixed',
    seller_nick: input.sellerNick,
    buyer_nick: buyer.nick,
    created: isoToTaobaoTime(created),
    modified: isoToTaobaoTime(modified),
    ...(paid ? { pay_time: isoToTaobaoTime(modified) } : {}),
    payment: fenToYuan(sum((l) => l.paymentFen) + postFen),
    post_fee: fenToYuan(postFen),
    total_fee: fenToYuan(sum((l) => l.totalFen)),
    discount_fee: fenToYuan(sum((l) => l.discountFen)),
    shipping_type: 'express',
    receiver_name: buyer.name,
    receiver_state: address.state,
    receiver_city: address.city,
    receiver_district: address.district,
    receiver_address: address.detail,
    ...(address.zip ? { receiver_zip: address.zip } : {}),
    receiver_mobile: buyer.mobile,
    ...(buyer.phone ? { receiver_phone: buyer.phone } : {}),
    ...(rng.chance(0.15) ? { buyer_message: rng.pick(BUYER_MESSAGES) } : {}),
    ...(rng.chance(0.1) ? { seller_memo: rng.pick(SELLER_MEMOS) } : {}),
    orders: { order: orders },
  };
}

function pickDistinct<T>(rng: SeededRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(rng.int(0, pool.length - 1), 1)[0] as T);
  return picked;
}

function propsText(props: string | Readonly<Record<string, string>>): string {
  return typeof props === 'string' ? props : Object.entries(props).map(([k, v]) => `${k}:${v}`).join(';');
}
