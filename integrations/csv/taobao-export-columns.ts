/** The header names of Taobao's seller-centre order report (订单报表) and item report (宝贝报表), by field. */

/** Each field lists the header the current export uses first, then the names older exports and 千牛 used. */
export const TAOBAO_ORDER_COLUMNS = {
  orderNo: ['订单编号', '订单号', '主订单编号'],
  buyerNick: ['买家会员名', '买家昵称', '买家账号'],
  goodsPayable: ['买家应付货款', '应付货款'],
  postFee: ['买家应付邮费', '应付邮费', '邮费'],
  total: ['总金额', '订单总金额'],
  paid: ['买家实际支付金额', '买家实付金额', '实付金额', '实际支付金额'],
  status: ['订单状态', '交易状态'],
  buyerMessage: ['买家留言'],
  receiverName: ['收货人姓名', '收货人'],
  address: ['收货地址', '收货人地址'],
  shippingType: ['运送方式'],
  phone: ['联系电话', '收货人电话'],
  mobile: ['联系手机', '收货人手机'],
  createdAt: ['订单创建时间', '创建时间', '下单时间'],
  paidAt: ['订单付款时间', '付款时间'],
  titles: ['宝贝标题', '商品标题'],
  kinds: ['宝贝种类', '商品种类'],
  trackingNo: ['物流单号', '运单号'],
  courier: ['物流公司'],
  sellerMemo: ['订单备注', '卖家备注', '商家备注'],
  totalQty: ['宝贝总数量', '商品总数量'],
  shopName: ['店铺名称'],
  closeReason: ['订单关闭原因'],
} as const;

export type TaobaoOrderColumn = keyof typeof TAOBAO_ORDER_COLUMNS;

export const REQUIRED_ORDER_COLUMNS: readonly TaobaoOrderColumn[] = ['orderNo', 'status', 'paid', 'address', 'createdAt'];

export const TAOBAO_ITEM_COLUMNS = {
  orderNo: ['订单编号', '主订单编号', '订单号'],
  subOrderNo: ['子订单编号'],
  title: ['标题', '宝贝标题', '商品标题'],
  price: ['价格', '单价', '商品价格'],
  qty: ['购买数量', '数量', '宝贝数量'],
  outerId: ['外部系统编号'],
  spec: ['商品属性', '销售属性', '宝贝属性'],
  package: ['套餐信息'],
  note: ['备注'],
  status: ['订单状态'],
  skuCode: ['商家编码'],
} as const;

export type TaobaoItemColumn = keyof typeof TAOBAO_ITEM_COLUMNS;

export const REQUIRED_ITEM_COLUMNS: readonly TaobaoItemColumn[] = ['orderNo', 'price', 'qty', 'skuCode'];

/** The Chinese name shown to the seller for a field, i.e. its current header. */
export function columnLabel<K extends string>(columns: Readonly<Record<K, readonly string[]>>, key: K): string {
  return columns[key][0] ?? key;
}
