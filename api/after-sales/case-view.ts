/**
 * One case as its page and the JSON API show it: the workflow's own state when it answers in time (else the read
 * model's copy), the platform's deadline with the time left and a warning within 24 hours, and its one timeline.
 */
import type { EntityManager } from '@mikro-orm/knex';
import type { Client } from '@temporalio/client';
import { AfterSaleCase } from '../../db/entities';
import { PLATFORM_DEADLINE_WARNING_MS, refundCeilingFen } from '../../domain/after-sale';
import type { CaseSnapshot } from '../../domain/after-sale-snapshot';
import { caseStateQuery } from '../../workflows/after-sale-messages';
import { translate, type Locale } from '../i18n/translate';
import type { OrderTimeline } from '../orders/order-timeline';
import { loadCaseTimeline } from './case-timeline';

const QUERY_DEADLINE_MS = 2_000;

export interface PlatformDeadline {
  at: string;
  /** Milliseconds left; negative once passed. */
  leftMs: number;
  left: string;
  warn: boolean;
  passed: boolean;
}

export interface CaseView {
  row: AfterSaleCase;
  s: CaseSnapshot;
  /** False when the workflow did not answer and the page shows the read model's (possibly older) copy. */
  live: boolean;
  typeLabel: string;
  stageLabel: string;
  ceilingFen: number;
  deadline: PlatformDeadline | null;
  timeline: OrderTimeline | null;
}

function timeLeft(ms: number, locale: Locale): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  return translate(locale, 'rma.timeLeft', { d: days, h: hours, m: minutes });
}

/** The platform's deadline as a person reads it: how long is left, and whether to worry (within 24 hours, or past). */
export function platformDeadline(deadline: string | null | undefined, locale: Locale, now = Date.now()): PlatformDeadline | null {
  if (!deadline) return null;
  const at = new Date(deadline);
  if (Number.isNaN(at.getTime())) return null;
  const leftMs = at.getTime() - now;
  return { at: at.toISOString(), leftMs, left: timeLeft(leftMs, locale), warn: leftMs <= PLATFORM_DEADLINE_WARNING_MS, passed: leftMs <= 0 };
}

export async function loadCaseView(em: EntityManager, temporal: Client, caseNo: string, locale: Locale, options: { timeline?: boolean } = {}): Promise<CaseView | null> {
  const row = await em.findOne(AfterSaleCase, { caseNo });
  if (!row) return null;
  const [live, timeline] = await Promise.all([
    temporal.connection
      .withDeadline(Date.now() + QUERY_DEADLINE_MS, () => temporal.workflow.getHandle(row.workflowId).query(caseStateQuery))
      .catch(() => null),
    options.timeline === false ? Promise.resolve(null) : loadCaseTimeline(em, temporal, caseNo, row.workflowId, locale),
  ]);
  const s = live ?? row.snapshot;
  if (!s) return null;
  const deadline = s.stage === 'done' || s.stage === 'closed' ? null : platformDeadline(s.platformRefund?.deadline ?? (row.deadline ? row.deadline.toISOString() : null), locale);
  return {
    row,
    s,
    live: !!live,
    typeLabel: translate(locale, `rma.type.${s.type}`),
    stageLabel: translate(locale, `rma.stage.${s.stage}`),
    ceilingFen: refundCeilingFen(s.lines),
    deadline,
    timeline,
  };
}
