/**
 * A receiver's address anywhere Taobao delivers, all provinces included (新疆, 西藏 and 内蒙古 too, which
 * the review rules park as out-of-area), weighted roughly by how many parcels each region receives.
 */
import { PROVINCES } from '../../domain/regions';
import type { SeededRandom } from './seeded-random';

export interface RandomAddress {
  /** receiver_state as Taobao writes it: "浙江省", "新疆维吾尔自治区", but "北京" for the municipalities. */
  state: string;
  city: string;
  district: string;
  detail: string;
  zip?: string;
  /** Long-distance prefix for a landline, when the region has one. */
  areaCode?: string;
}

interface City {
  name: string;
  areaCode?: string;
  zip?: string;
  districts: readonly string[];
}

/** Keyed by PROVINCES' short name; weight ≈ share of parcels. */
const REGIONS: Record<string, { weight: number; cities: readonly City[] }> = {
  北京: { weight: 5, cities: [{ name: '北京市', areaCode: '010', zip: '100000', districts: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区', '昌平区'] }] },
  天津: { weight: 2, cities: [{ name: '天津市', areaCode: '022', zip: '300000', districts: ['和平区', '南开区', '河西区', '滨海新区'] }] },
  上海: { weight: 5, cities: [{ name: '上海市', areaCode: '021', zip: '200000', districts: ['浦东新区', '徐汇区', '静安区', '闵行区', '杨浦区'] }] },
  重庆: { weight: 3, cities: [{ name: '重庆市', areaCode: '023', zip: '400000', districts: ['渝中区', '江北区', '九龙坡区', '渝北区', '万州区'] }] },
  河北: { weight: 4, cities: [
    { name: '石家庄市', areaCode: '0311', zip: '050000', districts: ['长安区', '桥西区', '裕华区'] },
    { name: '保定市', areaCode: '0312', zip: '071000', districts: ['竞秀区', '莲池区'] },
    { name: '唐山市', areaCode: '0315', zip: '063000', districts: ['路北区', '路南区'] },
  ] },
  山西: { weight: 2, cities: [
    { name: '太原市', areaCode: '0351', zip: '030000', districts: ['小店区', '迎泽区', '杏花岭区'] },
    { name: '大同市', areaCode: '0352', zip: '037000', districts: ['平城区', '云冈区'] },
  ] },
  辽宁: { weight: 3, cities: [
    { name: '沈阳市', areaCode: '024', zip: '110000', districts: ['和平区', '沈河区', '浑南区'] },
    { name: '大连市', areaCode: '0411', zip: '116000', districts: ['中山区', '沙河口区', '甘井子区'] },
  ] },
  吉林: { weight: 1.5, cities: [
    { name: '长春市', areaCode: '0431', zip: '130000', districts: ['朝阳区', '南关区', '绿园区'] },
    { name: '吉林市', areaCode: '0432', zip: '132000', districts: ['船营区', '丰满区'] },
  ] },
  黑龙江: { weight: 2, cities: [
    { name: '哈尔滨市', areaCode: '0451', zip: '150000', districts: ['南岗区', '道里区', '香坊区'] },
    { name: '齐齐哈尔市', areaCode: '0452', zip: '161000', districts: ['龙沙区', '建华区'] },
  ] },
  江苏: { weight: 8, cities: [
    { name: '南京市', areaCode: '025', zip: '210000', districts: ['玄武区', '鼓楼区', '江宁区'] },
    { name: '苏州市', areaCode: '0512', zip: '215000', districts: ['姑苏区', '吴中区', '相城区', '昆山市'] },
    { name: '无锡市', areaCode: '0510', zip: '214000', districts: ['梁溪区', '滨湖区'] },
  ] },
  浙江: { weight: 8, cities: [
    { name: '杭州市', areaCode: '0571', zip: '310000', districts: ['西湖区', '上城区', '拱墅区', '滨江区', '余杭区'] },
    { name: '宁波市', areaCode: '0574', zip: '315000', districts: ['海曙区', '鄞州区'] },
    { name: '温州市', areaCode: '0577', zip: '325000', districts: ['鹿城区', '瓯海区'] },
    { name: '金华市', areaCode: '0579', zip: '321000', districts: ['婺城区', '义乌市'] },
  ] },
  安徽: { weight: 3, cities: [
    { name: '合肥市', areaCode: '0551', zip: '230000', districts: ['蜀山区', '包河区', '庐阳区'] },
    { name: '芜湖市', areaCode: '0553', zip: '241000', districts: ['镜湖区', '鸠江区'] },
  ] },
  福建: { weight: 4, cities: [
    { name: '福州市', areaCode: '0591', zip: '350000', districts: ['鼓楼区', '台江区', '仓山区'] },
    { name: '厦门市', areaCode: '0592', zip: '361000', districts: ['思明区', '湖里区'] },
    { name: '泉州市', areaCode: '0595', zip: '362000', districts: ['丰泽区', '晋江市'] },
  ] },
  江西: { weight: 2, cities: [
    { name: '南昌市', areaCode: '0791', zip: '330000', districts: ['东湖区', '西湖区', '红谷滩区'] },
    { name: '赣州市', areaCode: '0797', zip: '341000', districts: ['章贡区', '南康区'] },
  ] },
  山东: { weight: 6, cities: [
    { name: '济南市', areaCode: '0531', zip: '250000', districts: ['历下区', '市中区', '槐荫区'] },
    { name: '青岛市', areaCode: '0532', zip: '266000', districts: ['市南区', '市北区', '崂山区'] },
    { name: '烟台市', areaCode: '0535', zip: '264000', districts: ['芝罘区', '莱山区'] },
  ] },
  河南: { weight: 5, cities: [
    { name: '郑州市', areaCode: '0371', zip: '450000', districts: ['金水区', '二七区', '中原区'] },
    { name: '洛阳市', areaCode: '0379', zip: '471000', districts: ['西工区', '洛龙区'] },
  ] },
  湖北: { weight: 4, cities: [
    { name: '武汉市', areaCode: '027', zip: '430000', districts: ['武昌区', '江汉区', '洪山区'] },
    { name: '宜昌市', areaCode: '0717', zip: '443000', districts: ['西陵区', '伍家岗区'] },
  ] },
  湖南: { weight: 4, cities: [
    { name: '长沙市', areaCode: '0731', zip: '410000', districts: ['岳麓区', '芙蓉区', '天心区'] },
    { name: '株洲市', areaCode: '0731', zip: '412000', districts: ['天元区', '芦淞区'] },
    { name: '衡阳市', areaCode: '0734', zip: '421000', districts: ['蒸湘区', '雁峰区'] },
  ] },
  广东: { weight: 10, cities: [
    { name: '广州市', areaCode: '020', zip: '510000', districts: ['天河区', '越秀区', '海珠区', '白云区'] },
    { name: '深圳市', areaCode: '0755', zip: '518000', districts: ['南山区', '福田区', '宝安区', '龙岗区'] },
    // 东莞 has no districts: Taobao's third level there is the town.
    { name: '东莞市', areaCode: '0769', zip: '523000', districts: ['南城街道', '长安镇', '虎门镇'] },
    { name: '佛山市', areaCode: '0757', zip: '528000', districts: ['禅城区', '南海区', '顺德区'] },
  ] },
  海南: { weight: 1, cities: [
    { name: '海口市', areaCode: '0898', zip: '570000', districts: ['美兰区', '龙华区'] },
    { name: '三亚市', areaCode: '0898', zip: '572000', districts: ['吉阳区', '天涯区'] },
  ] },
  四川: { weight: 5, cities: [
    { name: '成都市', areaCode: '028', zip: '610000', districts: ['武侯区', '锦江区', '青羊区', '成华区'] },
    { name: '绵阳市', areaCode: '0816', zip: '621000', districts: ['涪城区', '游仙区'] },
  ] },
  贵州: { weight: 1.5, cities: [
    { name: '贵阳市', areaCode: '0851', zip: '550000', districts: ['南明区', '云岩区', '观山湖区'] },
    { name: '遵义市', areaCode: '0851', zip: '563000', districts: ['红花岗区', '汇川区'] },
  ] },
  云南: { weight: 2, cities: [
    { name: '昆明市', areaCode: '0871', zip: '650000', districts: ['五华区', '盘龙区', '官渡区'] },
    { name: '大理白族自治州', areaCode: '0872', zip: '671000', districts: ['大理市', '祥云县'] },
  ] },
  陕西: { weight: 3, cities: [
    { name: '西安市', areaCode: '029', zip: '710000', districts: ['雁塔区', '碑林区', '未央区'] },
    { name: '宝鸡市', areaCode: '0917', zip: '721000', districts: ['渭滨区', '金台区'] },
  ] },
  甘肃: { weight: 1, cities: [
    { name: '兰州市', areaCode: '0931', zip: '730000', districts: ['城关区', '七里河区', '安宁区'] },
    { name: '天水市', areaCode: '0938', zip: '741000', districts: ['秦州区', '麦积区'] },
  ] },
  青海: { weight: 0.6, cities: [
    { name: '西宁市', areaCode: '0971', zip: '810000', districts: ['城东区', '城西区', '城中区'] },
    { name: '海东市', areaCode: '0972', zip: '810600', districts: ['乐都区', '平安区'] },
  ] },
  台湾: { weight: 0.4, cities: [
    { name: '台北市', districts: ['大安区', '信义区', '中山区'] },
    { name: '高雄市', districts: ['前镇区', '苓雅区'] },
  ] },
  内蒙古: { weight: 1.2, cities: [
    { name: '呼和浩特市', areaCode: '0471', zip: '010000', districts: ['新城区', '赛罕区', '回民区'] },
    { name: '包头市', areaCode: '0472', zip: '014000', districts: ['昆都仑区', '青山区'] },
    { name: '鄂尔多斯市', areaCode: '0477', zip: '017000', districts: ['东胜区', '康巴什区'] },
    { name: '呼伦贝尔市', areaCode: '0470', zip: '021000', districts: ['海拉尔区', '满洲里市'] },
  ] },
  广西: { weight: 2, cities: [
    { name: '南宁市', areaCode: '0771', zip: '530000', districts: ['青秀区', '兴宁区', '西乡塘区'] },
    { name: '桂林市', areaCode: '0773', zip: '541000', districts: ['秀峰区', '七星区', '象山区'] },
  ] },
  西藏: { weight: 0.8, cities: [
    { name: '拉萨市', areaCode: '0891', zip: '850000', districts: ['城关区', '堆龙德庆区'] },
    { name: '日喀则市', areaCode: '0892', zip: '857000', districts: ['桑珠孜区', '江孜县'] },
    { name: '林芝市', areaCode: '0894', zip: '860000', districts: ['巴宜区', '工布江达县'] },
  ] },
  宁夏: { weight: 0.6, cities: [
    { name: '银川市', areaCode: '0951', zip: '750000', districts: ['兴庆区', '金凤区', '西夏区'] },
    { name: '石嘴山市', areaCode: '0952', zip: '753000', districts: ['大武口区', '惠农区'] },
  ] },
  新疆: { weight: 1.2, cities: [
    { name: '乌鲁木齐市', areaCode: '0991', zip: '830000', districts: ['天山区', '沙依巴克区', '新市区'] },
    { name: '喀什地区', areaCode: '0998', zip: '844000', districts: ['喀什市', '疏附县'] },
    { name: '伊犁哈萨克自治州', areaCode: '0999', zip: '835000', districts: ['伊宁市', '霍城县'] },
    { name: '克拉玛依市', areaCode: '0990', zip: '834000', districts: ['克拉玛依区', '独山子区'] },
  ] },
  香港: { weight: 0.4, cities: [
    { name: '香港岛', zip: '999077', districts: ['中西区', '湾仔区', '东区'] },
    { name: '九龙', zip: '999077', districts: ['油尖旺区', '深水埗区'] },
  ] },
  澳门: { weight: 0.3, cities: [
    { name: '澳门半岛', zip: '999078', districts: ['花地玛堂区', '大堂区'] },
    { name: '氹仔岛', zip: '999078', districts: ['嘉模堂区'] },
  ] },
};

const MUNICIPALITIES = new Set(['北京', '天津', '上海', '重庆']);

const STREETS = [
  '人民路', '解放路', '中山路', '建设路', '和平路', '新华路', '文化路', '胜利路', '长江路', '黄河路', '青年路', '学府路',
  '科技路', '花园路', '滨江路', '东风路', '朝阳路', '光明街', '幸福大道', '建国路', '复兴路', '迎宾大道', '团结路', '友谊路',
];
const ESTATES = ['阳光花园', '锦绣家园', '金色家园', '世纪花城', '翠苑小区', '桂花园', '城市花园', '碧水湾', '幸福小区', '丽景苑', '紫荆公寓', '滨江花苑'];
const BUILDINGS = ['国贸大厦', '科技大厦', '金融中心', '创业园', '商务中心', '电子商务产业园'];

const ENTRIES = PROVINCES.map((p) => {
  const region = REGIONS[p.short];
  if (!region) throw new Error(`random-address: no cities for ${p.short}`);
  return { state: MUNICIPALITIES.has(p.short) ? p.short : p.full, ...region };
});

export function randomAddress(rng: SeededRandom): RandomAddress {
  const province = rng.weighted(ENTRIES, (e) => e.weight);
  const city = rng.pick(province.cities);
  return {
    state: province.state,
    city: city.name,
    district: rng.pick(city.districts),
    detail: randomDetail(rng),
    ...(city.zip ? { zip: city.zip } : {}),
    ...(city.areaCode ? { areaCode: city.areaCode } : {}),
  };
}

function randomDetail(rng: SeededRandom): string {
  const street = `${rng.pick(STREETS)}${rng.int(1, 999)}号`;
  const roll = rng.next();
  if (roll < 0.55) {
    return `${street}${rng.pick(ESTATES)}${rng.int(1, 30)}栋${rng.int(1, 4)}单元${rng.int(1, 28)}0${rng.int(1, 6)}室`;
  }
  if (roll < 0.8) return `${street}${rng.pick(BUILDINGS)}${rng.int(2, 36)}楼${rng.int(1, 20)}室`;
  return street;
}
