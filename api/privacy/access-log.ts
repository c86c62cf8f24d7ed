/**
 * Writes the personal-data access log: one row per look at buyers' data in clear (an order page, a list page naming
 * every order it showed, an export with its filter and row count, a PDF download), with who, from where and whether
 * through the pages or an API token. One insert per request, so a 200-row list costs one statement.
 */
import type { Context } from 'hono';
import { PiiAccessLog, type PiiAccessAction } from '../../db/entities';
import { clientAddress } from '../auth/client-address';
import type { AppEnv } from '../env';

export interface PiiAccess {
  action: PiiAccessAction;
  /** The orders whose data was shown or written; empty for an export described by its filter. */
  orderIds?: readonly string[];
  description: string;
  /** Rows shown or written; the number of order ids when not given. */
  rowCount?: number;
}

const DESCRIPTION_MAX = 500;

export async function logPiiAccess(c: Context<AppEnv>, access: PiiAccess): Promise<void> {
  const orderIds = [...new Set(access.orderIds ?? [])];
  await c.var.deps.db.em().insert(PiiAccessLog, {
    username: c.var.user.username,
    action: access.action,
    via: c.var.authKind === 'token' ? 'api' : 'page',
    orderIds: orderIds.join('\n'),
    description: Array.from(access.description).slice(0, DESCRIPTION_MAX).join(''),
    rowCount: access.rowCount ?? orderIds.length,
    clientAddress: clientAddress(c).slice(0, 64),
    at: new Date(),
  });
}

/** What a request looked at, in words: its path and query (the list's filter), without the paging noise. */
export function describeRequest(c: Context<AppEnv>, prefix = ''): string {
  const url = new URL(c.req.url);
  return `${prefix}${url.pathname}${url.search}`;
}
