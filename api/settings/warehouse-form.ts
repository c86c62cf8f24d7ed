/** Reads the warehouse form into what db/settings/save-warehouse.ts takes: checkboxes as booleans, text as typed. */
import type { Context } from 'hono';
import type { AppEnv } from '../env';

const TEXT = ['code', 'name', 'kind', 'contactName', 'contactPhone', 'province', 'city', 'district', 'detail'] as const;

export type FormBody = Record<string, string | File | Array<string | File>>;

export const formText = (body: FormBody, key: string): string | undefined => {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
};

/**
 * An unticked box says false, except 默认: a default is taken over by setting another one, never switched off, so an
 * unticked (or disabled) default box on the edit form leaves it as it is.
 */
export async function readWarehouseForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  const out: Record<string, unknown> = {};
  for (const key of TEXT) {
    const v = formText(body, key);
    if (v !== undefined) out[key] = v;
  }
  out.allowNegative = formText(body, 'allowNegative') === '1';
  if (formText(body, 'isDefault') === '1') out.isDefault = true;
  return out;
}
