import type { Courier, Order, OrderLine, Shop } from '../db/entities';
import { pdfPages } from '../test/helpers/pdf';
import { printPages } from './print/print-pages';
import { createPrintRenderer, type PrintRenderer } from './print-renderer';

const MOBILE = '13800138000';
const MASKED = '138****8000';

function order(no: string, courierCode: string): Order {
  return {
    id: `order:zhiyuan:${no}`, platformOrderNo: no, shopCode: 'zhiyuan', courierCode, warehouseCode: 'MAIN', waybillNo: `ZT${no}`,
    receiverName: '王小明', receiverMobile: MOBILE, receiverPhone: '', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路100号',
    buyerNick: 'tb_buyer_01', buyerMessage: '', sellerMemo: '', paidAt: new Date('2026-11-20T02:00:00Z'),
  } as Order;
}

const courier = (code: string, privacyWaybill: boolean) => ({ code, name: `${code}快递`, template: 'waybill-100x180', privacyWaybill, settings: {} }) as unknown as Courier;
const line = (orderId: string) => ({ orderId, lineNo: 1, skuCode: 'CUP-BLUE', barcode: '6901', title: '保温杯', spec: '蓝色', qty: 1, priceFen: 1000, amountFen: 1000, isGift: false }) as OrderLine;

let renderer: PrintRenderer;
beforeAll(() => {
  renderer = createPrintRenderer();
});
afterAll(async () => {
  await renderer?.close();
});

describe('buyers’ phones on printed labels and packing lists', () => {
  it('prints the packing list with the phone masked, and the label masked only for a courier with 隐私面单 on', async () => {
    const plain = order('1001', 'ZTO');
    const privacy = order('1002', 'SF');
    const pages = printPages({
      orders: [plain, privacy],
      lines: [line(plain.id), line(privacy.id)],
      couriers: [courier('ZTO', false), courier('SF', true)],
      shops: [{ code: 'zhiyuan', name: '致远旗舰店' } as Shop],
      kinds: ['waybill', 'packing_list'],
      reprintOrderIds: [],
      actor: { username: 'cangku', displayName: '仓库 大刘', roles: ['warehouse'] },
      printedAt: new Date(),
    });
    const text = pdfPages(await renderer.renderPdf(renderer.renderHtml(pages)));
    // Per order: its waybill, then its packing list.
    expect(text).toHaveLength(4);
    const [plainLabel, plainList, privacyLabel, privacyList] = text.map((t) => t.replace(/\s+/g, ''));
    expect(plainLabel).toContain(MOBILE);
    expect(privacyLabel).toContain(MASKED);
    expect(privacyLabel).not.toContain(MOBILE);
    for (const list of [plainList, privacyList]) {
      expect(list).toContain(MASKED);
      expect(list).not.toContain(MOBILE);
      // The packer still sees who the parcel is for.
      expect(list).toContain('王小明');
    }
  });
});
