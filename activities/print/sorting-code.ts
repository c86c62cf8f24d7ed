/** The 大头笔 printed big on a waybill so the sorting centre routes the parcel without reading the address. */
import { provinceShortName } from '../../domain/regions';

export interface SortingCode {
  /** Province and city in their short forms, e.g. "浙江 杭州"; for 北京/上海/天津/重庆, city and district. */
  code: string;
  /** The district, printed smaller beside the code for the delivering station. */
  district: string;
}

const MUNICIPALITIES = ['北京', '天津', '上海', '重庆'];
const CITY_SUFFIX = /(市|地区|盟|自治州)$/;
const DISTRICT_SUFFIX = /(区|县|市|旗)$/;

/** Couriers sort on province then city, so those two lead; a municipality has no city level, so its district does. */
export function sortingCode(receiver: { province: string; city: string; district: string }): SortingCode {
  const province = provinceShortName(receiver.province) ?? receiver.province.trim();
  const city = receiver.city.trim();
  const district = receiver.district.trim();
  if (MUNICIPALITIES.includes(province)) {
    const short = district.length > 2 ? district.replace(DISTRICT_SUFFIX, '') : district;
    return { code: [province, short].filter(Boolean).join(' '), district: '' };
  }
  const cityShort = city.length > 2 ? city.replace(CITY_SUFFIX, '') : city;
  return { code: [province, cityShort].filter(Boolean).join(' '), district };
}
