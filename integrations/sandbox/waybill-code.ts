/** A tracking number in the shape each courier's numbers have, so label layouts and scanners meet realistic ones. */
import type { SeededRandom } from './seeded-random';

const FORMATS: Record<string, (rng: SeededRandom) => string> = {
  ZTO: (rng) => `7${rng.pick(['3', '5', '8'])}${rng.digits(10)}`,
  SF: (rng) => `SF${rng.int(1, 9)}${rng.digits(12)}`,
  EMS: (rng) => `98${rng.digits(11)}`,
  POSTB: (rng) => `9${rng.int(7, 8)}${rng.digits(11)}`,
  YTO: (rng) => `YT${rng.int(1, 9)}${rng.digits(12)}`,
  STO: (rng) => `77${rng.digits(11)}`,
  YUNDA: (rng) => `${rng.pick(['43', '46'])}${rng.digits(11)}`,
  JD: (rng) => `JDVA${rng.digits(11)}`,
  JTSD: (rng) => `JT${rng.int(1, 9)}${rng.digits(12)}`,
  DBKD: (rng) => `DPK${rng.digits(12)}`,
};

export function waybillCode(cpCode: string, rng: SeededRandom): string {
  const format = FORMATS[cpCode.toUpperCase()];
  return format ? format(rng) : `${cpCode.toUpperCase().replace(/[^A-Z0-9]/g, '')}${rng.digits(12)}`;
}
