/** Shops, couriers and warehouses for filters, overrides and names on rows; a few rows each, read once per request. */
import type { EntityManager } from '@mikro-orm/knex';
import { Courier, Shop, Warehouse } from '../../db/entities';

export interface ReferenceData {
  shops: Array<{ code: string; name: string }>;
  couriers: Array<{ code: string; name: string }>;
  warehouses: Array<{ code: string; name: string; kind: string }>;
  shopName(code: string): string;
  courierName(code: string): string;
  warehouseName(code: string): string;
}

export async function loadReferenceData(em: EntityManager): Promise<ReferenceData> {
  const [shops, couriers, warehouses] = await Promise.all([
    em.find(Shop, {}, { fields: ['code', 'name'], orderBy: { code: 'asc' } }),
    em.find(Courier, { active: true }, { fields: ['code', 'name'], orderBy: { isDefault: 'desc', code: 'asc' } }),
    em.find(Warehouse, { active: true }, { fields: ['code', 'name', 'kind'], orderBy: { isDefault: 'desc', code: 'asc' } }),
  ]);
  const names = (rows: Array<{ code: string; name: string }>) => {
    const m = new Map(rows.map((r) => [r.code, r.name]));
    return (code: string) => (code ? (m.get(code) ?? code) : '');
  };
  return {
    shops: shops.map((s) => ({ code: s.code, name: s.name })),
    couriers: couriers.map((s) => ({ code: s.code, name: s.name })),
    warehouses: warehouses.map((s) => ({ code: s.code, name: s.name, kind: s.kind })),
    shopName: names(shops),
    courierName: names(couriers),
    warehouseName: names(warehouses),
  };
}
