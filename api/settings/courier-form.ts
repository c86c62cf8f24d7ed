/** Reads the courier form into what db/settings/save-courier.ts takes: checkboxes as booleans, provinces as a list. */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { asList } from '../read-form';
import { formText, type FormBody } from './warehouse-form';

const TEXT = ['code', 'name', 'provider', 'template', 'shopCode', 'cpCode', 'branchCode'] as const;

/** As on the warehouse form, an unticked 默认 leaves the default where it is. */
export async function readCourierForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const out: Record<string, unknown> = {};
  for (const key of TEXT) {
    const v = formText(body, key);
    if (v !== undefined) out[key] = v;
  }
  out.regionsNotServed = asList(body.regionsNotServed);
  out.reuseCancelled = formText(body, 'reuseCancelled') === '1';
  out.privacyWaybill = formText(body, 'privacyWaybill') === '1';
  const threshold = formText(body, 'lowRollThreshold');
  if (threshold !== undefined && threshold.trim() !== '') out.lowRollThreshold = /^-?\d+$/.test(threshold.trim()) ? Number(threshold.trim()) : Number.NaN;
  if (formText(body, 'isDefault') === '1') out.isDefault = true;
  return out;
}
