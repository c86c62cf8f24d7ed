import iconv from 'iconv-lite';
import type { OrderDraft } from '../../domain/order-draft';
import { buildTaobaoOrderExportCsv } from './build-taobao-order-export-csv';
import { ITEM_REPORT_HEADER, ORDER_REPORT_HEADER, itemReport, itemRow, orderReport, orderRow } from './fixtures/taobao-report';
import { parseTaobaoOrderExport, parseTaobaoOrderExportText } from './parse-taobao-order-export';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const utf8Bom = (text: string): Buffer => Buffer.from(`\uFEFF${text}`, 'utf8');
const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');

function importText(orders: string, items?: string) {
  return parseTaobaoOrderExportText(items === undefined ? { orders, shopCode: 'tb01' } : { orders, items, shopCode: 'tb01' });
}

function onlyDraft(result: { drafts: OrderDraft[] }): OrderDraft {
  expect(result.drafts).toHaveLength(1);
  return result.drafts[0] as OrderDraft;
}

describe('parseTaobaoOrderExport', () => {
  const orders = orderReport([
    orderRow({ 买家留言: '请发顺丰，谢谢' }),
    orderRow({ 订单编号: '3900000000000000002', 收货地址: '广东省 深圳市 南山区 科技园 1栋(518000)', 订单状态: '交易成功' }),
  ]);
  const items = itemReport([itemRow(), itemRow({ 订单编号: '3900000000000000002', 商家编码: 'TS-BLACK-M' })]);

  it('imports a GBK report as the seller centre downloads it', async () => {
    const result = await parseTaobaoOrderExport({ orders: gbk(orders), items: gbk(items), shopCode: 'tb01', fileName: 'ExportOrderList.csv' });
    expect(result.errors).toEqual([]);
    expect(result.stats).toEqual({
      fileName: 'ExportOrderList.csv',
      ordersEncoding: 'gb18030',
      itemsEncoding: 'gb18030',
      orderRows: 2,
      itemRows: 2,
      imported: 2,
      rejected: 0,
    });
    const [first, second] = result.drafts;
    expect(first).toMatchObject({
      orderId: 'order:tb01:3900000000000000001',
      platform: 'taobao',
      platformOrderNo: '3900000000000000001',
      source: 'csv',
      platformStatus: 'WAIT_SELLER_SEND_GOODS',
      buyerNick: 'tb_小明',
      buyerMessage: '请发顺丰，谢谢',
      receiver: { name: '王小明', mobile: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100号', zip: '310000' },
      createdAt: '2026-11-20T02:11:12.000Z',
      paidAt: '2026-11-20T02:12:00.000Z',
      modifiedAt: '2026-11-20T02:12:00.000Z',
      lines: [{ oid: '3900000000000000001-1', skuCode: 'TS-WHITE-L', title: '纯棉T恤', spec: '颜色分类：白色；尺码：L', qty: 1, priceFen: 5900, amountFen: 5900, isGift: false }],
    });
    expect(second).toMatchObject({ platformStatus: 'TRADE_FINISHED', receiver: { province: '广东省', city: '深圳市' }, lines: [{ skuCode: 'TS-BLACK-M' }] });
  });

  it.each([
    ['UTF-8 with BOM', utf8Bom, 'utf-8-bom'],
    ['UTF-8 without BOM', utf8, 'utf-8'],
  ] as const)('reads a report re-saved as %s the same as the GBK original', async (_name, encode, encoding) => {
    const fromGbk = await parseTaobaoOrderExport({ orders: gbk(orders), items: gbk(items), shopCode: 'tb01' });
    const result = await parseTaobaoOrderExport({ orders: encode(orders), items: encode(items), shopCode: 'tb01' });
    expect(result.stats.ordersEncoding).toBe(encoding);
    expect(result.stats.itemsEncoding).toBe(encoding);
    expect(result.errors).toEqual([]);
    expect(result.drafts).toEqual(fromGbk.drafts);
  });

  it('reads order numbers written as ="…", with an apostrophe or with a tab as the plain number', async () => {
    const header = ORDER_REPORT_HEADER.join(',');
    const row = (no: string): string =>
      ORDER_REPORT_HEADER.map((h) => (h === '订单编号' ? no : (orderRow()[h] ?? '').replace(/,/g, '，'))).join(',');
    const text = [header, row('="3900000000000000011"'), row('"=""3900000000000000012"""'), row("'3900000000000000013"), row('\t3900000000000000014')].join('\r\n');
    const itemText = [
      ITEM_REPORT_HEADER.join(','),
      ...['="3900000000000000011"', '3900000000000000012', "'3900000000000000013", '"\t3900000000000000014"'].map((no) =>
        ITEM_REPORT_HEADER.map((h) => (h === '订单编号' ? no : (itemRow()[h] ?? ''))).join(','),
      ),
    ].join('\r\n');
    const result = await importText(text, itemText);
    expect(result.errors).toEqual([]);
    expect(result.drafts.map((d) => d.platformOrderNo)).toEqual([
      '3900000000000000011',
      '3900000000000000012',
      '3900000000000000013',
      '3900000000000000014',
    ]);
    expect(result.drafts[0]?.orderId).toBe('order:tb01:3900000000000000011');
  });

  it('keeps a quoted buyer message with line breaks, commas and quotes whole and counts it as one Excel row', async () => {
    const message = '周五前发货，谢谢！\r\n不要放快递柜, 打电话 "13800138000"\r\n第三行';
    const result = await importText(
      orderReport([orderRow({ 买家留言: message }), orderRow({ 订单编号: '3900000000000000002', 订单状态: '火星状态' })]),
      itemReport([itemRow(), itemRow({ 订单编号: '3900000000000000002' })]),
    );
    expect(onlyDraft(result).buyerMessage).toBe('周五前发货，谢谢！\n不要放快递柜, 打电话 "13800138000"\n第三行');
    expect(result.errors).toEqual([{ file: 'orders', row: 3, orderNo: '3900000000000000002', reason: '订单状态 "火星状态" 无法识别' }]);
  });

  it('reports each bad row with its Excel row number and reason while the good rows import', async () => {
    const result = await importText(
      orderReport([
        orderRow({ 订单编号: '1001' }),
        orderRow({ 订单编号: '' }),
        orderRow({ 订单编号: '1003', 买家实际支付金额: 'abc' }),
        orderRow({ 订单编号: '1004', 订单状态: '等待发货中' }),
        orderRow({ 订单编号: '1005', 收货地址: '火星 奥林帕斯山 1号(000000)' }),
        orderRow({ 订单编号: '1006' }),
        orderRow({ 订单编号: '1007' }),
      ]),
      itemReport(['1001', '1003', '1004', '1005', '1006', '1007'].map((no) => itemRow({ 订单编号: no, 商家编码: no === '1006' ? '' : 'TS-WHITE-L' }))),
    );
    expect(result.drafts.map((d) => d.platformOrderNo)).toEqual(['1001', '1007']);
    expect(result.errors).toEqual([
      { file: 'orders', row: 3, reason: '订单编号为空' },
      { file: 'orders', row: 4, orderNo: '1003', reason: '买家实际支付金额 "abc" 不是有效金额' },
      { file: 'orders', row: 5, orderNo: '1004', reason: '订单状态 "等待发货中" 无法识别' },
      { file: 'orders', row: 6, orderNo: '1005', reason: '收货地址无法识别省份："火星 奥林帕斯山 1号(000000)"' },
      { file: 'orders', row: 7, orderNo: '1006', reason: '宝贝明细第 6 行有误，整单未导入' },
      { file: 'items', row: 6, orderNo: '1006', reason: '宝贝明细中商家编码为空' },
    ]);
    expect(result.stats).toMatchObject({ orderRows: 7, itemRows: 6, imported: 2, rejected: 5 });
  });

  it('reports every problem of a row, not just the first', async () => {
    const result = await importText(
      orderReport([orderRow({ 买家应付邮费: '5元', 订单创建时间: '昨天', 订单付款时间: '2026-13-01' })]),
      itemReport([itemRow({ 价格: '1.234', 购买数量: '0' })]),
    );
    expect(result.drafts).toEqual([]);
    expect(result.errors.map((e) => `${e.file}:${e.row}:${e.reason}`)).toEqual([
      'orders:2:买家应付邮费 "5元" 不是有效金额',
      'orders:2:订单创建时间 "昨天" 不是有效时间',
      'orders:2:订单付款时间 "2026-13-01" 不是有效时间',
      'items:2:价格 "1.234" 不是有效金额',
      'items:2:购买数量 "0" 不是正整数',
    ]);
  });

  it('rejects a second row with the same order number and keeps the first', async () => {
    const result = await importText(
      orderReport([orderRow(), orderRow({ 订单编号: '3900000000000000002' }), orderRow({ 收货人姓名: '李四' })]),
      itemReport([itemRow(), itemRow({ 订单编号: '3900000000000000002' })]),
    );
    expect(result.drafts.map((d) => [d.platformOrderNo, d.receiver.name])).toEqual([
      ['3900000000000000001', '王小明'],
      ['3900000000000000002', '王小明'],
    ]);
    expect(result.errors).toEqual([{ file: 'orders', row: 4, orderNo: '3900000000000000001', reason: '订单编号重复（与第 2 行相同）' }]);
  });

  it('does not import half an order when only one of its item rows is bad', async () => {
    const result = await importText(
      orderReport([orderRow({ 宝贝总数量: '3' })]),
      itemReport([itemRow(), itemRow({ 购买数量: '两件' }), itemRow({ 商家编码: 'TS-BLACK-M' })]),
    );
    expect(result.drafts).toEqual([]);
    expect(result.errors).toEqual([
      { file: 'orders', row: 2, orderNo: '3900000000000000001', reason: '宝贝明细第 3 行有误，整单未导入' },
      { file: 'items', row: 3, orderNo: '3900000000000000001', reason: '购买数量 "两件" 不是正整数' },
    ]);
  });

  it('rejects an order whose item rows add up to a different quantity than its 宝贝总数量', async () => {
    const result = await importText(orderReport([orderRow({ 宝贝总数量: '3' })]), itemReport([itemRow({ 购买数量: '2' })]));
    expect(result.drafts).toEqual([]);
    expect(result.errors[0]?.reason).toBe('宝贝明细的购买数量合计 2 与宝贝总数量 3 不符，整单未导入');
  });

  it('reports an order without item rows and an item row whose order is not in the order report', async () => {
    const result = await importText(
      orderReport([orderRow(), orderRow({ 订单编号: '3900000000000000002' })]),
      itemReport([itemRow(), itemRow({ 订单编号: '3900000000000000099' })]),
    );
    expect(result.drafts.map((d) => d.platformOrderNo)).toEqual(['3900000000000000001']);
    expect(result.errors).toEqual([
      { file: 'orders', row: 3, orderNo: '3900000000000000002', reason: '宝贝明细中没有这个订单的商品，订单未导入' },
      { file: 'items', row: 3, orderNo: '3900000000000000099', reason: '订单报表中没有订单编号 3900000000000000099' },
    ]);
  });

  it('imports nothing without the item report and says so for every order, alongside the order rows’ own errors', async () => {
    const result = await importText(orderReport([orderRow(), orderRow({ 订单编号: '3900000000000000002', 买家实际支付金额: '' })]));
    expect(result.drafts).toEqual([]);
    expect(result.errors).toEqual([
      { file: 'orders', row: 2, orderNo: '3900000000000000001', reason: '缺少宝贝明细文件（宝贝报表），无法确定商品的商家编码，订单未导入' },
      { file: 'orders', row: 3, orderNo: '3900000000000000002', reason: '买家实际支付金额为空' },
    ]);
    expect(result.stats).toMatchObject({ orderRows: 2, itemRows: 0, imported: 0, rejected: 2 });
  });

  it.each([
    ['新疆维吾尔自治区 乌鲁木齐市 天山区 解放南路 8号(830000)', { province: '新疆维吾尔自治区', city: '乌鲁木齐市', district: '天山区', detail: '解放南路 8号', zip: '830000' }],
    ['上海市 上海市 浦东新区 世纪大道 100号(200120)', { province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 100号', zip: '200120' }],
    ['上海 浦东新区 张江路 1号(000000)', { province: '上海', city: '上海', district: '浦东新区', detail: '张江路 1号', zip: '' }],
    ['内蒙古自治区 呼和浩特市 新城区 新华大街 1号（010000）', { province: '内蒙古自治区', city: '呼和浩特市', district: '新城区', detail: '新华大街 1号', zip: '010000' }],
  ])('splits the address "%s" into province, city, district, detail and zip', async (address, receiver) => {
    const draft = onlyDraft(await importText(orderReport([orderRow({ 收货地址: address })]), itemReport([itemRow()])));
    expect(draft.receiver).toMatchObject(receiver);
  });

  it('keeps money exact to the fen and shares the paid amount over the lines', async () => {
    const result = await importText(
      orderReport([
        orderRow({ 买家应付货款: '139.93', 买家应付邮费: '8.00', 总金额: '147.93', 买家实际支付金额: '127.93', 宝贝总数量: '10' }),
      ]),
      itemReport([
        itemRow({ 标题: '袜子', 价格: '0.10', 购买数量: '3', 商家编码: 'SOCK' }),
        itemRow({ 标题: '围巾', 价格: '19.99', 购买数量: '7', 商家编码: 'SCARF' }),
      ]),
    );
    const draft = onlyDraft(result);
    expect(draft.goodsFen).toBe(30 + 13993);
    expect(draft.postFen).toBe(800);
    expect(draft.paidFen).toBe(12793);
    expect(draft.lines.map((l) => [l.oid, l.skuCode, l.priceFen, l.qty, l.amountFen])).toEqual([
      ['3900000000000000001-1', 'SOCK', 10, 3, 26],
      ['3900000000000000001-2', 'SCARF', 1999, 7, 11967],
    ]);
    expect(draft.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(12793 - 800);
  });

  it('shares 买家应付货款 over the lines of an order that is not paid yet', async () => {
    const draft = onlyDraft(
      await importText(
        orderReport([orderRow({ 订单状态: '等待买家付款', 买家应付货款: '50.00', 买家实际支付金额: '0.00', 订单付款时间: '' })]),
        itemReport([itemRow()]),
      ),
    );
    expect(draft).toMatchObject({ platformStatus: 'WAIT_BUYER_PAY', paidFen: 0, paidAt: null, modifiedAt: '2026-11-20T02:11:12.000Z' });
    expect(draft.lines[0]?.amountFen).toBe(5000);
  });

  it.each([
    ['等待买家付款', 'WAIT_BUYER_PAY'],
    ['买家已付款，等待卖家发货', 'WAIT_SELLER_SEND_GOODS'],
    ['买家已付款,等待卖家发货', 'WAIT_SELLER_SEND_GOODS'],
    ['等待卖家发货', 'WAIT_SELLER_SEND_GOODS'],
    ['卖家已发货，等待买家确认', 'WAIT_BUYER_CONFIRM_GOODS'],
    ['交易成功', 'TRADE_FINISHED'],
    ['交易关闭', 'TRADE_CLOSED'],
    ['交易关闭(买家未付款)', 'TRADE_CLOSED_BY_TAOBAO'],
    ['付款以前，卖家或买家主动关闭交易', 'TRADE_CLOSED_BY_TAOBAO'],
  ])('maps the status "%s" to %s', async (label, status) => {
    const draft = onlyDraft(await importText(orderReport([orderRow({ 订单状态: label })]), itemReport([itemRow()])));
    expect(draft.platformStatus).toBe(status);
  });

  it('finds columns by header name whatever their order, spacing or older wording, and ignores extra columns', async () => {
    const orders = [
      ' 订单状态 ,收货地址,  订单号,买家昵称,实付金额,邮费,创建时间,付款时间,收货人,联系手机,营销活动',
      '交易成功,"北京市 北京市 朝阳区 建国路 1号(100000)",3900000000000000001,tb_a,10.00,0.00,2026-11-20 10:11:12,,张三,13900000000,满100减10',
    ].join('\n');
    const items = ['商家编码,购买数量,价格,订单编号,颜色', 'SKU-1,1,10,3900000000000000001,红'].join('\n');
    const draft = onlyDraft(await importText(orders, items));
    expect(draft).toMatchObject({
      platformOrderNo: '3900000000000000001',
      platformStatus: 'TRADE_FINISHED',
      buyerNick: 'tb_a',
      paidFen: 1000,
      receiver: { name: '张三', mobile: '13900000000', province: '北京市', city: '北京市', district: '朝阳区' },
      lines: [{ skuCode: 'SKU-1', qty: 1, priceFen: 1000, title: '', spec: '' }],
    });
  });

  it('counts blank lines as rows so reported row numbers match what Excel shows', async () => {
    const orders = orderReport([orderRow()]) + '\r\n' + orderReport([orderRow({ 订单编号: '' })]).split('\r\n')[1] + '\r\n';
    const result = await importText(orders, itemReport([itemRow()]));
    expect(result.drafts).toHaveLength(1);
    expect(result.errors).toEqual([{ file: 'orders', row: 4, reason: '订单编号为空' }]);
  });

  it('reads Taobao’s literal "null" as empty and strips the apostrophe Excel needs before a mobile number', async () => {
    const draft = onlyDraft(
      await importText(orderReport([orderRow({ 买家留言: 'null', 订单备注: 'NULL', 联系手机: "'13900001111", 联系电话: "'0571-88886666" })]), itemReport([itemRow()])),
    );
    expect(draft).toMatchObject({ buyerMessage: '', sellerMemo: '', receiver: { mobile: '13900001111', phone: '0571-88886666' } });
  });

  it('rejects an order number that Excel has turned into scientific notation', async () => {
    const result = await importText(orderReport([orderRow({ 订单编号: '3.9E+18' })]), itemReport([itemRow({ 订单编号: '3.9E+18' })]));
    expect(result.drafts).toEqual([]);
    expect(result.errors.map((e) => [e.file, e.row, e.reason])).toEqual([
      ['orders', 2, '订单编号 "3.9E+18" 已被 Excel 改成科学计数法，请使用淘宝导出的原始文件'],
      ['items', 2, '订单编号 "3.9E+18" 已被 Excel 改成科学计数法，请使用淘宝导出的原始文件'],
    ]);
  });

  it('names the missing required columns on row 1 and notices when the two files were swapped', async () => {
    const missing = await importText('订单编号,买家会员名\r\n1,a\r\n', itemReport([itemRow()]));
    expect(missing.errors).toEqual([
      { file: 'orders', row: 1, reason: '订单报表缺少必需的列：订单状态、买家实际支付金额、收货地址、订单创建时间' },
    ]);
    const swapped = await importText(itemReport([itemRow()]), orderReport([orderRow()]));
    expect(swapped.drafts).toEqual([]);
    expect(swapped.errors[0]?.reason).toContain('这个文件看起来是宝贝报表');
  });

  it('reports an item report it cannot read against the item file and every order', async () => {
    const result = await importText(orderReport([orderRow()]), itemReport([itemRow()]) + '"3900000000000000001,未闭合的标题,1\r\n');
    expect(result.drafts).toEqual([]);
    expect(result.errors).toEqual([
      { file: 'orders', row: 2, orderNo: '3900000000000000001', reason: '宝贝报表有误（见宝贝报表第 3 行），订单未导入' },
      { file: 'items', row: 3, reason: '宝贝报表：第 3 行起引号没有闭合，文件无法读取' },
    ]);
  });

  it('keeps each imported order’s rows verbatim, under the file’s own headers, for the platform order record', async () => {
    const orders = orderReport([orderRow({ 订单编号: '="3900000000000000001"', 宝贝总数量: '2' }), orderRow({ 订单编号: '3900000000000000002', 订单状态: '?' })]);
    const items = itemReport([itemRow(), itemRow({ 商家编码: 'MUG', 价格: '0' }), itemRow({ 订单编号: '3900000000000000002' })]);
    const result = await parseTaobaoOrderExport({ orders: gbk(orders), items: gbk(items), shopCode: 'tb01', fileName: 'a.csv' });
    expect(result.platformOrders.map((p) => p.draft)).toEqual(result.drafts);
    expect(result.platformOrders).toHaveLength(1);
    const raw = JSON.parse(result.platformOrders[0]?.raw ?? '') as { fileName: string; order: Record<string, string>; items: Array<Record<string, string>> };
    expect(raw.fileName).toBe('a.csv');
    expect(raw.order['订单编号']).toBe('="3900000000000000001"');
    expect(raw.order['联系手机']).toBe("'13800138000");
    expect(Object.keys(raw.order)).toEqual(ORDER_REPORT_HEADER);
    expect(raw.items.map((i) => [i['商家编码'], i['价格']])).toEqual([
      ['TS-WHITE-L', '59.00'],
      ['MUG', '0'],
    ]);
  });

  it('reads back the orders that buildTaobaoOrderExportCsv wrote', async () => {
    const base = await importText(
      orderReport([
        orderRow({ 买家留言: '多行\n留言, 带"引号"', 订单备注: '送小样' }),
        orderRow({ 订单编号: '3900000000000000002', 收货地址: '新疆维吾尔自治区 喀什地区 喀什市 人民路 2号(844000)', 订单状态: '卖家已发货，等待买家确认', 买家实际支付金额: '25.01', 宝贝总数量: '3' }),
      ]),
      itemReport([
        itemRow(),
        itemRow({ 订单编号: '3900000000000000002', 价格: '12.50', 购买数量: '2', 商家编码: 'MUG' }),
        itemRow({ 订单编号: '3900000000000000002', 价格: '0.01', 商家编码: 'CARD' }),
      ]),
    );
    expect(base.errors).toEqual([]);
    const files = buildTaobaoOrderExportCsv(base.drafts);
    expect(files.orders.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(files.orders.toString('utf8')).toContain('"=""3900000000000000002"""');
    const again = await parseTaobaoOrderExport({ ...files, shopCode: 'tb01' });
    expect(again.errors).toEqual([]);
    expect(again.drafts).toEqual(base.drafts);
  });
});
