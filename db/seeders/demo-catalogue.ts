/** The demo shop's catalogue: ~30 SKUs of a small lifestyle store, one bundle among them. Money in fen. */

export interface DemoSku {
  productCode: string;
  productName: string;
  code: string;
  spec: string;
  weightGrams: number;
  costFen: number;
  priceFen: number;
  /** Component SKU code → quantity, for a bundle. */
  components?: Record<string, number>;
}

const variants = (productCode: string, productName: string, specs: string[], weightGrams: number, costFen: number, priceFen: number): DemoSku[] =>
  specs.map((spec, i) => ({ productCode, productName, code: `${productCode}-${String(i + 1).padStart(2, '0')}`, spec, weightGrams, costFen, priceFen }));

export const DEMO_CATALOGUE: DemoSku[] = [
  ...variants('BWB500', '316不锈钢保温杯 500ml', ['颜色:雾霾蓝', '颜色:奶白', '颜色:墨黑', '颜色:樱花粉'], 380, 3200, 8900),
  ...variants('FBB', '加厚帆布托特包', ['颜色:米白', '颜色:藏青', '颜色:卡其'], 420, 1800, 5900),
  ...variants('TX', '纯棉圆领短袖T恤', ['尺码:S;颜色:白', '尺码:M;颜色:白', '尺码:L;颜色:白', '尺码:XL;颜色:白', '尺码:M;颜色:黑', '尺码:L;颜色:黑'], 220, 2100, 6900),
  ...variants('SJX', 'Type-C 快充数据线 1.5m', ['规格:单条', '规格:两条装'], 60, 450, 1990),
  ...variants('KZ', '硅胶手机壳', ['型号:iPhone 16', '型号:iPhone 16 Pro', '型号:华为 Mate 70'], 45, 500, 2900),
  ...variants('LJ', '明前龙井 250g 罐装', ['等级:特级', '等级:一级'], 320, 12000, 29800),
  ...variants('WZ', '精梳棉中筒袜 5双装', ['颜色:混色', '颜色:全黑'], 150, 1500, 3900),
  ...variants('ZB', '无线充电板', ['功率:15W'], 180, 3800, 9900),
  ...variants('DQ', '陶瓷香薰蜡烛', ['香型:白茶', '香型:无花果', '香型:雪松'], 350, 2600, 7900),
  ...variants('SBJ', '真丝眼罩', ['颜色:香槟'], 40, 2200, 6800),
  ...variants('YGJ', '人体工学U型枕', ['颜色:灰'], 500, 3500, 12900),
  { productCode: 'TZ-GIFT', productName: '保温杯礼盒套装', code: 'TZ-GIFT-01', spec: '套装:保温杯+杯套+袜子', weightGrams: 600, costFen: 5000, priceFen: 139900, components: { 'BWB500-01': 1, 'WZ-01': 1, 'SBJ-01': 1 } },
];

/** EAN-13 with a valid check digit: the barcodes a scanner reads off the goods. */
export function ean13(seed: number): string {
  const body = `690${String(1_000_000_000 + seed).slice(1)}`.slice(0, 12);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return body + String((10 - (sum % 10)) % 10);
}
