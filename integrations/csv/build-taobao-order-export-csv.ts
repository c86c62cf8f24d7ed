/** Writes order drafts as a Taobao-style order report and item report, for demo data and test fixtures. */
import { fenToYuan } from '../../domain/money';
import type { OrderDraft } from '../../domain/order-draft';
import { isoToTaobaoTime } from '../../domain/taobao';
import { taobaoStatusLabel } from './taobao-status-label';
import { writeCsvText } from './write-csv-text';

export interface TaobaoOrderExportCsv {
  orders: Buffer;
  items: Buffer;
}

const ORDER_HEADER = [
  '订单编号', '买家会员名', '买家应付货款', '买家应付邮费', '总金额', '买家实际支付金额', '订单状态', '买家留言',
  '收货人姓名', '收货地址', '运送方式', '联系电话', '联系手机', '订单创建时间', '订单付款时间', '宝贝标题',
  '宝贝种类', '物流单号', '物流公司', '订单备注', '宝贝总数量', '店铺名称', '订单关闭原因',
];

const ITEM_HEADER = ['订单编号', '标题', '价格', '购买数量', '外部系统编号', '商品属性', '套餐信息', '备注', '订单状态', '商家编码'];

const BOM = '\uFEFF';

// The ="…" formula and the leading apostrophe are how Taobao stops Excel from rounding long numbers.
const asText = (no: string): string => `="${no}"`;

/**
 * Produces the two reports the way the seller centre exports them (UTF-8 with BOM, order numbers as
 * ="…", zip in brackets after the address), so parseTaobaoOrderExport reads back the same orders.
 */
export function buildTaobaoOrderExportCsv(drafts: readonly OrderDraft[]): TaobaoOrderExportCsv {
  const orderRows = drafts.map((d) => {
    const r = d.receiver;
    const goodsPaidFen = d.lines.reduce((s, l) => s + l.amountFen, 0);
    const address = [r.province, r.city, r.district, r.detail].filter((p) => p !== '').join(' ');
    return [
      asText(d.platformOrderNo),
      d.buyerNick,
      fenToYuan(goodsPaidFen),
      fenToYuan(d.postFen),
      fenToYuan(goodsPaidFen + d.postFen),
      fenToYuan(d.paidFen),
      taobaoStatusLabel(d.platformStatus),
      d.buyerMessage,
      r.name,
      `${address}(${r.zip || '000000'})`,
      '快递',
      r.phone,
      r.mobile ? `'${r.mobile}` : '',
      isoToTaobaoTime(d.createdAt),
      d.paidAt ? isoToTaobaoTime(d.paidAt) : '',
      d.lines.map((l) => l.title).join('，'),
      String(d.lines.length),
      '',
      '',
      d.sellerMemo,
      String(d.lines.reduce((s, l) => s + l.qty, 0)),
      d.shopCode,
      '',
    ];
  });
  const itemRows = drafts.flatMap((d) =>
    d.lines.map((l) => [
      asText(d.platformOrderNo),
      l.title,
      fenToYuan(l.priceFen),
      String(l.qty),
      '',
      l.spec,
      '',
      '',
      taobaoStatusLabel(d.platformStatus),
      l.skuCode,
    ]),
  );
  return {
    orders: Buffer.from(BOM + writeCsvText([ORDER_HEADER, ...orderRows]), 'utf8'),
    items: Buffer.from(BOM + writeCsvText([ITEM_HEADER, ...itemRows]), 'utf8'),
  };
}
