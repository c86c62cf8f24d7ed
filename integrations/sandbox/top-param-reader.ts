/** Reads a TOP method's parameters, refusing missing ones with code 40 and malformed ones with code 41. */
import { isoToTaobaoTime, taobaoTimeToIso } from '../../domain/taobao';
import { topFailure } from './top-failure';

export interface TopParamReader {
  /** Empty strings count as absent, as they do for the signature. */
  string(name: string): string | undefined;
  required(name: string): string;
  /** A required id (tid, refund_id, dispute_id): digits only. */
  id(name: string): string;
  int(name: string, limits: { min?: number; max?: number; fallback: number }): number;
  bool(name: string): boolean;
  /** A "yyyy-MM-dd HH:mm:ss" time, normalised so times compare as strings. */
  time(name: string): string | undefined;
  requiredTime(name: string): string;
  /** A parameter carrying JSON text (Cainiao's request objects). */
  json(name: string): unknown;
}

export function topParamReader(params: Readonly<Record<string, string>>): TopParamReader {
  const string = (name: string): string | undefined => {
    const value = params[name]?.trim();
    return value ? value : undefined;
  };
  const required = (name: string): string => {
    const value = string(name);
    if (value === undefined) throw topFailure.missing(name);
    return value;
  };
  const time = (name: string): string | undefined => {
    const value = string(name);
    if (value === undefined) return undefined;
    try {
      return isoToTaobaoTime(taobaoTimeToIso(value));
    } catch {
      throw topFailure.invalid(name, `${name} 格式应为 yyyy-MM-dd HH:mm:ss`);
    }
  };
  return {
    string,
    required,
    id(name) {
      const value = required(name);
      if (!/^\d+$/.test(value)) throw topFailure.invalid(name, `${name} 应为数字`);
      return value;
    },
    int(name, { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, fallback }) {
      const value = string(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || n < min || n > max) {
        throw topFailure.invalid(name, `${name} 应为 ${min} 到 ${max} 之间的整数`);
      }
      return n;
    },
    bool: (name) => string(name) === 'true',
    time,
    requiredTime(name) {
      const value = time(name);
      if (value === undefined) throw topFailure.missing(name);
      return value;
    },
    json(name) {
      const text = required(name);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw topFailure.invalid(name, `${name} 不是有效的 JSON`);
      }
    },
  };
}
