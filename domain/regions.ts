/** Chinese provinces and the address rules built on them (short names, splitting a one-line address). */

/** Short province names as couriers and review rules use them, with the full names platforms send. */
export const PROVINCES: ReadonlyArray<{ short: string; full: string }> = [
  { short: '北京', full: '北京市' }, { short: '天津', full: '天津市' }, { short: '上海', full: '上海市' },
  { short: '重庆', full: '重庆市' }, { short: '河北', full: '河北省' }, { short: '山西', full: '山西省' },
  { short: '辽宁', full: '辽宁省' }, { short: '吉林', full: '吉林省' }, { short: '黑龙江', full: '黑龙江省' },
  { short: '江苏', full: '江苏省' }, { short: '浙江', full: '浙江省' }, { short: '安徽', full: '安徽省' },
  { short: '福建', full: '福建省' }, { short: '江西', full: '江西省' }, { short: '山东', full: '山东省' },
  { short: '河南', full: '河南省' }, { short: '湖北', full: '湖北省' }, { short: '湖南', full: '湖南省' },
  { short: '广东', full: '广东省' }, { short: '海南', full: '海南省' }, { short: '四川', full: '四川省' },
  { short: '贵州', full: '贵州省' }, { short: '云南', full: '云南省' }, { short: '陕西', full: '陕西省' },
  { short: '甘肃', full: '甘肃省' }, { short: '青海', full: '青海省' }, { short: '台湾', full: '台湾省' },
  { short: '内蒙古', full: '内蒙古自治区' }, { short: '广西', full: '广西壮族自治区' },
  { short: '西藏', full: '西藏自治区' }, { short: '宁夏', full: '宁夏回族自治区' },
  { short: '新疆', full: '新疆维吾尔自治区' }, { short: '香港', full: '香港特别行政区' },
  { short: '澳门', full: '澳门特别行政区' },
];

/** Maps any spelling of a province ("新疆维吾尔自治区", "新疆", "湖南省") to its short name, or null. */
export function provinceShortName(name: string): string | null {
  const n = name.trim();
  if (!n) return null;
  const hit = PROVINCES.find((p) => n === p.full || n === p.short || n.startsWith(p.short));
  return hit ? hit.short : null;
}

export interface SplitAddress {
  province: string;
  city: string;
  district: string;
  detail: string;
}

const CITY = /^(.+?(?:自治州|地区|盟|市))/;
const DISTRICT = /^(.+?(?:自治县|自治旗|新区|区|县|市|旗))/;

/**
 * Splits a one-line address as the Taobao export writes it ("浙江省 杭州市 西湖区 文三路 1 号(310000)")
 * into province / city / district / detail; spaces are honoured first, suffixes (省 市 区 县) second.
 */
export function splitAddress(address: string): SplitAddress {
  let rest = address.replace(/\(\d{6}\)\s*$/, '').replace(/\s+/g, ' ').trim();
  let province = '';
  for (const p of PROVINCES) {
    if (rest.startsWith(p.full)) { province = p.full; break; }
    if (rest.startsWith(p.short)) { province = p.short; }
  }
  rest = rest.slice(province.length).trim();
  const municipality = ['北京', '天津', '上海', '重庆'].includes(provinceShortName(province) ?? '');
  const take = (re: RegExp): string => {
    const parts = rest.split(' ');
    const first = parts[0] ?? '';
    if (parts.length > 1 && re.test(first)) {
      rest = parts.slice(1).join(' ');
      return first;
    }
    const m = re.exec(rest);
    if (m?.[1] && m[1].length < rest.length) {
      rest = rest.slice(m[1].length).trim();
      return m[1];
    }
    return '';
  };
  let city = take(CITY);
  if (!city && municipality) city = province;
  const district = take(DISTRICT);
  return { province, city, district, detail: rest.trim() };
}
