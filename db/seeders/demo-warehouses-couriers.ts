/** The demo's warehouses, couriers and number rolls, added through the same settings code the pages use. */
import type { EntityManager } from '@mikro-orm/knex';
import type { Actor } from '../../domain/roles';
import { importNumberRange } from '../settings/import-number-roll';
import { createCourier } from '../settings/save-courier';
import { createWarehouse } from '../settings/save-warehouse';

/** Not served by ZTO and SF in the seed notes: such orders park in 超区订单. */
const OUT_OF_AREA = ['新疆', '西藏', '内蒙古'];

const SENDER = { contactName: '管家生活馆', contactPhone: '0571-88886666', province: '浙江省', city: '杭州市', district: '余杭区' };

function must<T extends { ok: boolean }>(what: string, outcome: T): T {
  if (!outcome.ok) throw new Error(`demo ${what}: ${(outcome as { message?: string }).message ?? ''}`);
  return outcome;
}

/** 本地仓库 ships (its address is the label's sender), 退货仓 takes returns, 超区订单 parks out-of-area orders. */
export async function seedDemoWarehousesAndCouriers(em: EntityManager, actor: Actor): Promise<void> {
  must('MAIN', await createWarehouse(em, actor, { code: 'MAIN', name: '本地仓库', kind: 'normal', isDefault: true, ...SENDER, detail: '仓前街道 文一西路 1888 号 3 号仓' }));
  must('RET', await createWarehouse(em, actor, { code: 'RET', name: '退货仓', kind: 'returns', ...SENDER, contactName: '管家生活馆 售后', detail: '仓前街道 文一西路 1888 号 5 号仓 退货组' }));
  must('OOA', await createWarehouse(em, actor, { code: 'OOA', name: '超区订单', kind: 'out_of_area' }));
  must('ZTO', await createCourier(em, actor, {
    code: 'ZTO', name: '中通快递', provider: 'cainiao', cpCode: 'ZTO', regionsNotServed: OUT_OF_AREA, template: 'waybill-100x180', isDefault: true,
  }));
  must('SF', await createCourier(em, actor, { code: 'SF', name: '顺丰速运', provider: 'pool', regionsNotServed: OUT_OF_AREA, template: 'waybill-100x180' }));
  must('EMS', await createCourier(em, actor, { code: 'EMS', name: '中国邮政 EMS', provider: 'pool', regionsNotServed: [], template: 'waybill-76x130' }));
  must('SF roll', await importNumberRange(em, actor, 'SF', { prefix: 'SF', start: '1402000000000', end: '1402000002999' }));
  must('EMS roll', await importNumberRange(em, actor, 'EMS', { prefix: '', start: '1180345000000', end: '1180345002999' }));
}
