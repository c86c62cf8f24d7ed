/** How many tracking numbers each 号段 courier has left, and whether that is below the courier's warning threshold. */
import type { EntityManager } from '@mikro-orm/knex';
import { Courier, WaybillPoolNumber } from '../entities';

export interface NumberRollRemaining {
  courierCode: string;
  courierName: string;
  free: number;
  threshold: number;
  /** Fewer free numbers than the threshold (or none at all): time to import a new roll. */
  low: boolean;
  empty: boolean;
}

/** One row per active courier whose numbers come from a roll (or just the couriers named). */
export async function numberRollRemaining(em: EntityManager, courierCodes?: readonly string[]): Promise<NumberRollRemaining[]> {
  const where = courierCodes ? { provider: 'pool' as const, code: { $in: [...courierCodes] } } : { provider: 'pool' as const, active: true };
  const couriers = await em.find(Courier, where, { orderBy: { isDefault: 'desc', code: 'asc' } });
  return Promise.all(couriers.map(async (c) => {
    const free = await em.count(WaybillPoolNumber, { courierCode: c.code, status: 'free' });
    return { courierCode: c.code, courierName: c.name, free, threshold: c.lowRollThreshold, low: free < c.lowRollThreshold || free === 0, empty: free === 0 };
  }));
}

/** Every number's count by status for one courier: free, reserved (handed out) and void. */
export async function numberRollCounts(em: EntityManager, courierCode: string): Promise<{ free: number; reserved: number; void: number }> {
  const [free, reserved, voided] = await Promise.all([
    em.count(WaybillPoolNumber, { courierCode, status: 'free' }),
    em.count(WaybillPoolNumber, { courierCode, status: 'reserved' }),
    em.count(WaybillPoolNumber, { courierCode, status: 'void' }),
  ]);
  return { free, reserved, void: voided };
}
