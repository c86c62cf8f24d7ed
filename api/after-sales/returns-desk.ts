/**
 * 退货入库 at the returns desk: a scanned tracking number finds its open case and tells its workflow the parcel is in; a
 * parcel that matches no case is kept as a 无头件 (once per tracking number), and matching it to a case later sends the
 * same Update, so no parcel is lost between the desk and after-sales.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { AfterSaleCase, UnmatchedParcel } from '../../db/entities';
import type { Actor } from '../../domain/roles';
import { translate, type Locale } from '../i18n/translate';
import type { CaseDecisions, CaseOutcome } from './case-decisions';

export interface ScanInput {
  actionId: string;
  waybillNo: string;
  company: string;
  warehouseCode: string;
  note?: string;
}

export type ScanResult =
  | { kind: 'received'; caseNo: string; outcome: CaseOutcome }
  | { kind: 'refused'; caseNo: string; outcome: CaseOutcome }
  | { kind: 'already'; caseNo: string; receivedAt: string; receivedBy: string }
  | { kind: 'unmatched'; parcel: UnmatchedParcel; repeated: boolean }
  | { kind: 'ambiguous'; caseNos: string[] };

/** Open cases waiting for this parcel: a waybill is a buyer's, so more than one open case on it needs a person to choose. */
async function openCasesFor(em: EntityManager, waybillNo: string): Promise<AfterSaleCase[]> {
  return em.find(AfterSaleCase, { returnWaybillNo: waybillNo, stage: { $nin: ['done', 'closed'] } }, { orderBy: { createdAt: 'asc' }, limit: 10 });
}

export async function scanReturnParcel(em: EntityManager, decisions: CaseDecisions, actor: Actor, input: ScanInput): Promise<ScanResult> {
  const cases = await openCasesFor(em, input.waybillNo);
  if (cases.length > 1) return { kind: 'ambiguous', caseNos: cases.map((c) => c.caseNo) };
  const match = cases[0];
  // The same parcel scanned again: say when it came in rather than refuse it.
  if (match?.snapshot?.receivedAt) return { kind: 'already', caseNo: match.caseNo, receivedAt: match.snapshot.receivedAt, receivedBy: match.snapshot.receivedBy };
  if (match) {
    const outcome = await decisions.receive(
      match.caseNo,
      (await decisions.liveVersion(match.caseNo)) ?? match.version,
      { waybillNo: input.waybillNo, ...(input.company ? { company: input.company } : {}) },
      `${input.actionId}:${match.caseNo}`,
    );
    return { kind: outcome.ok ? 'received' : 'refused', caseNo: match.caseNo, outcome };
  }
  const known = await em.findOne(UnmatchedParcel, { waybillNo: input.waybillNo });
  if (known?.matchedCaseNo) return { kind: 'already', caseNo: known.matchedCaseNo, receivedAt: (known.matchedAt ?? known.receivedAt).toISOString(), receivedBy: known.matchedBy || known.receivedBy };
  if (known) return { kind: 'unmatched', parcel: known, repeated: true };
  const parcel = em.create(UnmatchedParcel, {
    waybillNo: input.waybillNo,
    company: input.company,
    warehouseCode: input.warehouseCode,
    note: input.note ?? '',
    receivedBy: actor.username,
    receivedAt: new Date(),
  });
  try {
    await em.flush();
    return { kind: 'unmatched', parcel, repeated: false };
  } catch (err) {
    // Scanned twice at once: the other scan kept it.
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    return { kind: 'unmatched', parcel: await em.fork().findOneOrFail(UnmatchedParcel, { waybillNo: input.waybillNo }), repeated: true };
  }
}

export type MatchResult = { ok: true; outcome: CaseOutcome } | { ok: false; status: 404 | 409; message: string; outcome?: CaseOutcome };

/** Matches a 无头件 to a case: the case's workflow takes the parcel in (its validator may refuse), then the parcel is marked matched. */
export async function matchUnmatchedParcel(em: EntityManager, decisions: CaseDecisions, actor: Actor, locale: Locale, parcelId: number, caseNo: string, actionId: string): Promise<MatchResult> {
  const parcel = await em.findOne(UnmatchedParcel, { id: parcelId });
  if (!parcel) return { ok: false, status: 404, message: translate(locale, 'returns.parcelNotFound', { id: parcelId }) };
  if (parcel.matchedCaseNo && parcel.matchedCaseNo !== caseNo) return { ok: false, status: 409, message: translate(locale, 'returns.alreadyMatched', { waybill: parcel.waybillNo, no: parcel.matchedCaseNo }) };
  const row = await em.findOne(AfterSaleCase, { caseNo });
  if (!row) return { ok: false, status: 404, message: translate(locale, 'rma.caseNotFound', { no: caseNo }) };
  const outcome = await decisions.receive(
    caseNo,
    (await decisions.liveVersion(caseNo)) ?? row.version,
    { waybillNo: parcel.waybillNo, ...(parcel.company ? { company: parcel.company } : {}), reason: translate(locale, 'returns.matchedReason') },
    `${actionId}:${caseNo}`,
  );
  if (!outcome.ok) return { ok: false, status: 409, message: outcome.message, outcome };
  // Only the first match marks the parcel; a resent match finds it marked with the same case.
  await em.nativeUpdate(UnmatchedParcel, { id: parcelId, matchedCaseNo: '' }, { matchedCaseNo: caseNo, matchedBy: actor.username, matchedAt: new Date() });
  return { ok: true, outcome };
}

/** 无头件 waiting for a case, newest first, paged. */
export async function listUnmatchedParcels(em: EntityManager, options: { page: number; size: number; all?: boolean }) {
  const where = options.all ? {} : { matchedCaseNo: '' };
  const [rows, total] = await em.findAndCount(UnmatchedParcel, where, { orderBy: { receivedAt: 'desc', id: 'desc' }, limit: options.size, offset: (options.page - 1) * options.size });
  return { rows, total };
}
