/**
 * 扫描验货: a parcel may leave only after its printed waybill and then every item's barcode were scanned, as often
 * as ordered and nothing else; a wrong or extra item is refused and not counted, and the server replays every scan.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Order } from '../../db/entities';
import { yuanToFen } from '../../domain/money';
import { maskPii } from '../../domain/pii-mask';
import { can } from '../../domain/roles';
import { refundBlocksShipping } from '../../domain/taobao';
import { replayScans, verifyScans, applyScan, type ScanLine } from '../../domain/scan';
import { actionIdPattern, newActionId } from '../action-id';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { createOrderDecisions } from '../orders/order-decisions';
import { changedAfterPrint, findOrderByWaybill, loadScanLines, scanRefusal } from '../orders/scan-check';
import { readForm } from '../read-form';
import { isHtmx, renderFragment, renderPage, t } from '../render';

const scanForm = z.object({
  actionId: z.string().regex(actionIdPattern, 'error.staleForm'),
  code: z.string().trim().max(80).default(''),
  orderId: z.string().max(120).default(''),
  scans: z.string().max(20_000).default('[]'),
  weight: z.string().trim().max(10).default(''),
  postage: z.string().trim().max(12).default(''),
  ship: z.string().optional(),
  /** A supervisor's release reason (ship.override); carried with the parcel until it ships. */
  override: z.string().trim().max(200).default(''),
});

type ScanForm = z.output<typeof scanForm>;

interface Banner {
  kind: 'ok' | 'error' | 'info';
  message: string;
}

interface ScanState {
  order: Order | null;
  lines: ScanLine[];
  scans: string[];
  weight: string;
  postage: string;
  banner: Banner | null;
  /** The supervisor's release in force for this parcel. */
  overrideReason?: string;
  /** Offer the supervisor's release form; `overrideCode` is the waybill to accept with it. */
  offerOverride?: boolean;
  overrideCode?: string;
}

const EMPTY: ScanState = { order: null, lines: [], scans: [], weight: '', postage: '', banner: null };

const mayRelease = (c: Context<AppEnv>) => can(c.var.actor?.roles ?? [], 'ship.override');

function parseScans(text: string): string[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.slice(0, 2000) : null;
  } catch {
    return null;
  }
}

function render(c: Context<AppEnv>, state: ScanState, status: 200 | 400 | 409 | 422 = 200) {
  const { progress } = replayScans(state.lines, state.scans);
  const complete = !!state.order && progress.length > 0 && progress.every((p) => p.scanned === p.qty);
  const data = {
    title: t(c, 'nav.scan'),
    actionId: newActionId(),
    // The packing desk checks goods against the label; the receiver is shown masked to everyone here.
    order: state.order ? maskPii(state.order) : null,
    progress: progress.map((p) => ({ ...p, done: p.scanned === p.qty, noBarcode: !p.barcode })),
    scansJson: JSON.stringify(state.scans),
    scannedCount: state.scans.length,
    expectedCount: progress.reduce((s, p) => s + p.qty, 0),
    complete,
    weight: state.weight,
    postage: state.postage,
    banner: state.banner,
    overrideReason: state.overrideReason ?? '',
    offerOverride: !!state.offerOverride && mayRelease(c),
    overrideCode: state.overrideCode ?? '',
  };
  // htmx swaps only the panel; without JavaScript the same form posts and gets the whole page.
  return isHtmx(c) ? renderFragment(c, 'scan/_panel', data, status) : renderPage(c, 'scan/page', data, status);
}

async function ship(c: Context<AppEnv>, state: ScanState, f: ScanForm) {
  const order = state.order!;
  const incomplete = verifyScans(state.lines, state.scans);
  if (incomplete) return render(c, { ...state, banner: { kind: 'error', message: incomplete } }, 422);
  let weightGrams: number | undefined;
  let postageFen: number | undefined;
  if (f.weight) {
    if (!/^\d{1,6}$/.test(f.weight)) return render(c, { ...state, banner: { kind: 'error', message: t(c, 'scan.badWeight') } }, 400);
    weightGrams = Number(f.weight);
  }
  if (f.postage) {
    try {
      postageFen = yuanToFen(f.postage);
    } catch {
      postageFen = -1;
    }
    if (postageFen < 0) return render(c, { ...state, banner: { kind: 'error', message: t(c, 'scan.badPostage') } }, 400);
  }
  const decisions = createOrderDecisions(c.var.deps.temporal, c.var.actor, c.var.locale);
  const outcome = await decisions.ship(
    order.id,
    {
      scannedBarcodes: state.scans,
      ...(weightGrams !== undefined ? { weightGrams } : {}),
      ...(postageFen !== undefined ? { postageFen } : {}),
      ...(state.overrideReason ? { override: { reason: state.overrideReason } } : {}),
    },
    `${f.actionId}:${order.id}`,
  );
  // A platform that cannot be asked about refunds: the parcel waits, or a supervisor releases it with a reason.
  if (!outcome.ok) {
    const unreachable = !state.overrideReason && outcome.message.includes('平台无法连接');
    // Whoever may not release the parcel is told who can, so it is not left on the desk without a next step.
    const message = unreachable && !mayRelease(c) ? `${outcome.message}${t(c, 'scan.askSupervisor')}` : outcome.message;
    return render(c, { ...state, banner: { kind: 'error', message }, offerOverride: unreachable }, 409);
  }
  // Shipped: the panel is empty again and waits for the next waybill.
  return render(c, { ...EMPTY, banner: { kind: 'ok', message: t(c, 'scan.shipped', { no: order.platformOrderNo, waybill: order.waybillNo }) } });
}

export const scanRoutes = new Hono<AppEnv>()
  .use('*', requireRole('ship.scan'))
  .get('/', (c) => render(c, EMPTY))
  .post('/', async (c) => {
    const form = await readForm(c, scanForm);
    if (!form.ok) return render(c, { ...EMPTY, banner: { kind: 'error', message: form.message } }, 400);
    const f = form.data;
    const em = c.var.deps.db.em();
    const scans = parseScans(f.scans);
    if (!scans) return render(c, { ...EMPTY, banner: { kind: 'error', message: t(c, 'error.badInput') } }, 400);
    // A release typed by someone without the permission is ignored here and refused again by the workflow.
    const released = !!f.override && mayRelease(c);

    if (!f.orderId) {
      if (!f.code) return render(c, { ...EMPTY, banner: { kind: 'info', message: t(c, 'scan.scanWaybillFirst') } });
      const order = await findOrderByWaybill(em, f.code);
      const refused = scanRefusal(c, order, f.code, released);
      if (refused || !order) {
        const offer = !!order && changedAfterPrint(order) && !refundBlocksShipping(order.refundStatus || undefined);
        return render(c, { ...EMPTY, banner: { kind: 'error', message: refused ?? '' }, offerOverride: offer, overrideCode: f.code }, 422);
      }
      const lines = await loadScanLines(em, order.id);
      const accepted = released && changedAfterPrint(order) ? t(c, 'scan.released', { reason: f.override }) : t(c, 'scan.waybillAccepted', { waybill: order.waybillNo });
      return render(c, { ...EMPTY, order, lines, overrideReason: released ? f.override : '', banner: { kind: 'info', message: accepted } });
    }

    const order = await em.findOne(Order, { id: f.orderId });
    const refused = scanRefusal(c, order, f.orderId, released);
    if (refused || !order) return render(c, { ...EMPTY, banner: { kind: 'error', message: refused ?? '' } }, 422);
    const lines = await loadScanLines(em, order.id);
    const replay = replayScans(lines, scans);
    // The hidden list comes from the browser; if it does not replay cleanly, start this parcel over.
    if (replay.error) return render(c, { ...EMPTY, order, lines, banner: { kind: 'error', message: t(c, 'scan.restart', { reason: replay.error }) } }, 422);
    const state: ScanState = { order, lines, scans, weight: f.weight, postage: f.postage, banner: null, overrideReason: released ? f.override : '' };
    const complete = replay.progress.every((p) => p.scanned === p.qty);

    // Enter on an empty field, the ship button, or the waybill scanned again sends a complete parcel.
    if (f.ship === '1' || !f.code || f.code === order.waybillNo) {
      if (complete) return ship(c, state, f);
      return render(c, { ...state, banner: { kind: 'error', message: verifyScans(lines, scans) ?? '' } }, 422);
    }
    const verdict = applyScan(replay.progress, f.code);
    if (!verdict.ok) return render(c, { ...state, banner: { kind: 'error', message: verdict.reason } }, 422);
    const next = { ...state, scans: [...scans, f.code] };
    const doneMsg = verdict.complete ? t(c, 'scan.complete') : t(c, 'scan.itemOk', { title: verdict.line.title, scanned: verdict.line.scanned, qty: verdict.line.qty });
    return render(c, { ...next, banner: { kind: 'ok', message: doneMsg } });
  });
