/**
 * What an approval sends, shared by 订单审核 and the JSON API: overrides must name active couriers and warehouses,
 * only fields that really change are sent (an untouched field never overwrites a newer value), and a batch goes
 * a few orders at a time, each with its own update id so a resent batch is applied once.
 */
import type { Context } from 'hono';
import { orderReceiver, type Order } from '../../db/entities';
import type { AppEnv } from '../env';
import { t } from '../render';
import { runLimited } from '../run-limited';
import type { ApproveInput, DecisionOutcome, OrderDecisions } from './order-decisions';
import type { OrderPick } from './order-picks';
import { loadReferenceData } from './reference-data';

const BATCH_CONCURRENCY = 8;

export type ReceiverEdits = NonNullable<ApproveInput['receiver']>;

export interface ApproveEdits {
  expectedVersion: number;
  courierCode?: string;
  warehouseCode?: string;
  sellerMemo?: string;
  receiver?: ReceiverEdits;
}

export interface ApproveOverrides {
  courierCode?: string;
  warehouseCode?: string;
}

/** Courier and warehouse overrides must name active ones; an empty value keeps what auto-review chose. */
export async function checkOverrides(c: Context<AppEnv>, courierCode = '', warehouseCode = ''): Promise<string | null> {
  if (!courierCode && !warehouseCode) return null;
  const refs = await loadReferenceData(c.var.deps.db.em());
  if (courierCode && !refs.couriers.some((x) => x.code === courierCode)) return t(c, 'review.unknownCourier', { code: courierCode });
  if (warehouseCode && !refs.warehouses.some((x) => x.code === warehouseCode)) return t(c, 'review.unknownWarehouse', { code: warehouseCode });
  return null;
}

/** The approval to send for an order as the reviewer saw it: only values that differ from the order's current ones. */
export function approveEdits(order: Order, edits: ApproveEdits): ApproveInput {
  const current: Record<keyof ReceiverEdits, string> = orderReceiver(order);
  const receiver: ReceiverEdits = {};
  for (const [key, value] of Object.entries(edits.receiver ?? {}) as Array<[keyof ReceiverEdits, string | undefined]>) {
    if (value !== undefined && value !== current[key]) receiver[key] = value;
  }
  const input: ApproveInput = { expectedVersion: edits.expectedVersion };
  if (edits.courierCode && edits.courierCode !== order.courierCode) input.courierCode = edits.courierCode;
  if (edits.warehouseCode && edits.warehouseCode !== order.warehouseCode) input.warehouseCode = edits.warehouseCode;
  if (edits.sellerMemo !== undefined && edits.sellerMemo !== order.sellerMemo) input.sellerMemo = edits.sellerMemo;
  if (Object.keys(receiver).length) input.receiver = receiver;
  return input;
}

/** Approves each picked order at the version the person saw, with the same overrides for all. */
export function approveBatch(decisions: OrderDecisions, picks: readonly OrderPick[], overrides: ApproveOverrides, actionId: string): Promise<DecisionOutcome[]> {
  const input = (p: OrderPick): ApproveInput => ({
    expectedVersion: p.version,
    ...(overrides.courierCode ? { courierCode: overrides.courierCode } : {}),
    ...(overrides.warehouseCode ? { warehouseCode: overrides.warehouseCode } : {}),
  });
  return runLimited(picks, BATCH_CONCURRENCY, (p) => decisions.approve(p.id, input(p), `${actionId}:${p.id}`));
}
