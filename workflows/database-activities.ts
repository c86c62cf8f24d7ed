/**
 * The activities that write Guanjia's own database (read model, audit, stock, money), as every workflow calls them:
 * retried until they succeed, so a database that is down for a while delays a workflow but never fails it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
