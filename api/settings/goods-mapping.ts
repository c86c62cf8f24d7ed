/**
 * 货品对应 for the pages and the API: saves a mapping (db/settings/sku-mappings.ts) and then signals every order
 * waiting in review with 货品未匹配 on that platform SKU, so each re-checks its lines at once (skuMappedSignal).
 */
import type { Client } from '@temporalio/client';
import type { PlatformSkuMapping } from '../../db/entities';
import type { Db } from '../../db/orm';
import { ordersWaitingForMapping, saveSkuMapping, type SkuMappingInput } from '../../db/settings/sku-mappings';
import { platformKeyOf } from '../../domain/sku-mapping';
import type { Actor } from '../../domain/roles';
import { skuMappedSignal } from '../../workflows/messages';

export interface MapOutcome {
  ok: boolean;
  message: string;
  mapping?: PlatformSkuMapping;
  /** Orders that were waiting on this platform SKU and were asked to re-check. */
  rechecked: string[];
}

/** Signals the orders waiting on these mappings; an order that has ended meanwhile no longer waits, so it is skipped. */
export async function recheckWaitingOrders(db: Db, temporal: Client, actor: Actor, mappings: readonly PlatformSkuMapping[]): Promise<string[]> {
  const done = new Set<string>();
  for (const m of mappings) {
    if (!m.skuCode) continue;
    for (const o of await ordersWaitingForMapping(db.em().fork(), m)) {
      if (done.has(o.id)) continue;
      try {
        await temporal.workflow.getHandle(o.id).signal(skuMappedSignal, { actor, mapping: `${m.title || m.outerId || platformKeyOf(m)}${m.spec ? ` ${m.spec}` : ''} → ${m.skuCode}` });
        done.add(o.id);
      } catch (err) {
        console.warn(`[goods] could not signal ${o.id}:`, err instanceof Error ? err.message : err);
      }
    }
  }
  return [...done];
}

export async function mapPlatformSku(db: Db, temporal: Client, actor: Actor, input: SkuMappingInput): Promise<MapOutcome> {
  const saved = await saveSkuMapping(db.em().fork(), actor, input);
  if (!saved.ok) return { ok: false, message: saved.message, rechecked: [] };
  const rechecked = await recheckWaitingOrders(db, temporal, actor, [saved.mapping]);
  return {
    ok: true,
    mapping: saved.mapping,
    rechecked,
    message: rechecked.length ? `${saved.message}；${rechecked.length} 个等待中的订单已重新匹配` : saved.message,
  };
}
