/**
 * 获取平台商品 (page and API): starts the shop's goods pull in the background (goodsPullWorkflow, id goods-pull:<shop>;
 * a second start while one runs joins it) and reads its progress or outcome, the platform's refusal in words.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { Shop } from '../../db/entities';
import type { Db } from '../../db/orm';
import { shopHasApi } from '../../db/settings/shop-fields';
import { goodsPullProgressQuery, goodsPullWorkflowId, type GoodsPullProgress } from '../../workflows/goods-pull-messages';

export type GoodsPullStart = { ok: true; joined: boolean } | { ok: false; message: string; notFound?: boolean };

/** Where a shop's goods pull stands: running with its progress, finished with its outcome, or never run. */
export interface GoodsPullStatus {
  running: boolean;
  progress: GoodsPullProgress | null;
  /** The outcome in words once it has ended, for the banner. */
  message: string;
  ok: boolean;
}

export async function startGoodsPull(db: Db, temporal: Client, taskQueue: string, shopCode: string): Promise<GoodsPullStart> {
  const shop = await db.em().fork().findOne(Shop, { code: shopCode });
  if (!shop) return { ok: false, notFound: true, message: `店铺 ${shopCode} 不存在` };
  if (!shopHasApi(shop.platform)) return { ok: false, message: `店铺 ${shop.name} 是仅 CSV 导入的店铺，没有平台接口，无法获取商品；请用货品导入` };
  try {
    await temporal.workflow.start('goodsPullWorkflow', {
      taskQueue,
      workflowId: goodsPullWorkflowId(shopCode),
      args: [{ shopCode }],
      // One pull per shop at a time; a finished one may run again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    return { ok: true, joined: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { ok: true, joined: true };
    throw err;
  }
}

export function describeGoodsPull(p: GoodsPullProgress, shopName: string): string {
  if (p.stage === 'failed') return `从 ${shopName} 获取商品没有完成：${p.error}`;
  if (p.stage === 'done') return `已从 ${shopName} 获取 ${p.items} 个在售商品、${p.seen} 个平台 SKU，其中 ${p.added} 个是新的`;
  if (p.stage === 'listing') return `正在读取 ${shopName} 的在售商品列表…`;
  return `正在从 ${shopName} 获取商品：${p.itemsDone} / ${p.items}，已读到 ${p.seen} 个平台 SKU`;
}

export async function goodsPullStatus(db: Db, temporal: Client, shopCode: string): Promise<GoodsPullStatus> {
  const shop = await db.em().fork().findOne(Shop, { code: shopCode }, { fields: ['name'] });
  const name = shop?.name ?? shopCode;
  const handle = temporal.workflow.getHandle(goodsPullWorkflowId(shopCode));
  try {
    const { status } = await handle.describe();
    const progress = status.name === 'RUNNING' ? await handle.query(goodsPullProgressQuery) : status.name === 'COMPLETED' ? ((await handle.result()) as GoodsPullProgress) : null;
    if (!progress) return { running: false, progress: null, ok: false, message: `从 ${name} 获取商品没有完成（${status.name}），请重新获取` };
    return { running: status.name === 'RUNNING', progress, ok: progress.stage !== 'failed', message: describeGoodsPull(progress, name) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { running: false, progress: null, ok: true, message: '' };
    throw err;
  }
}

/** Starts (or joins) the pull and waits a little for it: a small shop answers at once, a large one comes back running. */
export async function pullAndWait(db: Db, temporal: Client, taskQueue: string, shopCode: string, waitMs: number): Promise<Extract<GoodsPullStart, { ok: false }> | GoodsPullStatus> {
  const started = await startGoodsPull(db, temporal, taskQueue, shopCode);
  if (!started.ok) return started;
  const until = Date.now() + waitMs;
  for (;;) {
    const status = await goodsPullStatus(db, temporal, shopCode);
    if ((!status.running && status.progress) || Date.now() > until) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}
