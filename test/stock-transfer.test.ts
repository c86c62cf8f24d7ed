/**
 * Stock transfers (调拨单) end to end on the real Temporal server and database: outbound and inbound approval through
 * the ledger, a counted difference approved by a second person, cancel and reverse, two people approving at once, and
 * a worker stopped in the middle of a transfer moving nothing twice.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createWorkers } from '../api/create-workers';
import { createStockTransferActivities } from '../activities/stock-transfer';
import { verifyStock } from '../activities/stock-verify';
import { AuditEvent, Sku, StockLedgerEntry, StockLevel } from '../db/entities';
import { startStack, type Stack } from './helpers/stack';
import { transferActors, transferDriver } from './helpers/transfer-driver';
import { outboundUpdate, printNoteUpdate } from '../workflows/stock-transfer-messages';
import { StockTransfer } from '../db/entities';
import { pdfPages } from './helpers/pdf';

let stack: Stack;
let transfers: ReturnType<typeof transferDriver>;
let skus: string[];

beforeAll(async () => {
  stack = await startStack({ seed: 83 });
  transfers = transferDriver(stack);
  skus = (await stack.db.em().find(Sku, { isBundle: false }, { orderBy: { code: 'asc' } })).map((s) => s.code);
});
afterAll(async () => {
  await stack?.close();
});

function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.catch((e: unknown) => {
    throw e instanceof WorkflowUpdateFailedError ? e.cause : e;
  });
}

async function ledger(transferNo: string) {
  const rows = await stack.db.em().fork().find(StockLedgerEntry, { refType: 'transfer', refId: transferNo }, { orderBy: { id: 'asc' } });
  return rows.map((r) => `${r.kind}:${r.skuCode}@${r.warehouseCode}:${r.onHandDelta}`);
}

describe('a transfer from MAIN to RET', () => {
  it('goes out at 出库审核 (in transit, out of MAIN), arrives at 入库审核 (into RET) and leaves the books adding up', async () => {
    const [a, b] = [skus[0]!, skus[1]!];
    const before = { aMain: await transfers.onHand(a, 'MAIN'), bMain: await transfers.onHand(b, 'MAIN'), aRet: await transfers.onHand(a, 'RET') };
    const no = await transfers.create([{ code: a, qty: 7 }, { code: b, qty: 3 }]);
    expect(no).toMatch(/^DB\d{8}-\d{4}$/);
    await transfers.waitForStage(no, 'created');

    expect(await transfers.outbound(no)).toMatchObject({ ok: true, stage: 'in_transit' });
    expect(await transfers.onHand(a, 'MAIN')).toBe(before.aMain - 7);
    expect(await transfers.onHand(b, 'MAIN')).toBe(before.bMain - 3);
    expect(await transfers.onHand(a, 'RET')).toBe(before.aRet);
    // The check sees the 10 units in transit on the transfer, out of MAIN and not yet in RET.
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true, figures: { transfers: 1, inTransit: 10 } });

    expect(await transfers.inbound(no, [{ skuCode: a, qty: 7 }, { skuCode: b, qty: 3 }])).toMatchObject({ ok: true, stage: 'done' });
    expect(await transfers.onHand(a, 'RET')).toBe(before.aRet + 7);
    expect(await ledger(no)).toEqual([`transfer_out:${a}@MAIN:-7`, `transfer_out:${b}@MAIN:-3`, `transfer_in:${a}@RET:7`, `transfer_in:${b}@RET:3`]);
    const audit = await stack.db.em().fork().find(AuditEvent, { entityType: 'transfer', entityId: no }, { orderBy: { id: 'asc' } });
    expect(audit.map((e) => `${e.action}:${e.actor}`)).toEqual(['create:cangku', 'outbound:cangku', 'inbound:cangku', 'done:system']);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true, breaks: [] });
  });

  it('holds a counted difference for a second person: the counter may not approve it, a rejection asks for a recount, the approval books what arrived', async () => {
    const a = skus[2]!;
    const mainBefore = await transfers.onHand(a, 'MAIN');
    const retBefore = await transfers.onHand(a, 'RET');
    const no = await transfers.create([{ code: a, qty: 10 }]);
    await transfers.outbound(no);
    expect(await transfers.inbound(no, [{ skuCode: a, qty: 9 }])).toMatchObject({ ok: true, stage: 'awaiting_difference' });
    expect(await transfers.onHand(a, 'RET')).toBe(retBefore);
    await expect(refusal(transfers.difference(no, 'approve', transferActors.warehouse))).rejects.toThrow('入库差异需由另一人审核');
    expect(await transfers.difference(no, 'reject', transferActors.warehouse2, '再点一遍')).toMatchObject({ ok: true, stage: 'in_transit' });
    expect(await transfers.inbound(no, [{ skuCode: a, qty: 9 }])).toMatchObject({ stage: 'awaiting_difference' });
    expect(await transfers.difference(no, 'approve', transferActors.warehouse2)).toMatchObject({ ok: true, stage: 'done' });
    expect(await transfers.onHand(a, 'MAIN')).toBe(mainBefore - 10);
    expect(await transfers.onHand(a, 'RET')).toBe(retBefore + 9);
    const done = await transfers.waitForStage(no, 'done');
    expect(done.lines).toEqual([expect.objectContaining({ skuCode: a, qty: 10, receivedQty: 9 })]);
    expect(done.difference).toMatchObject({ by: 'cangku2' });
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });

  it('reversed after outbound restores both warehouses, and only an admin approves the reverse', async () => {
    const a = skus[3]!;
    const before = { main: await transfers.onHand(a, 'MAIN'), ret: await transfers.onHand(a, 'RET') };
    const no = await transfers.create([{ code: a, qty: 4 }]);
    await transfers.outbound(no);
    await expect(refusal(transfers.cancel(no, '填错了'))).rejects.toThrow('不能执行此操作');
    await expect(refusal(transfers.reverse(no, 'request', transferActors.warehouse))).rejects.toThrow('冲销请填写原因');
    expect(await transfers.reverse(no, 'request', transferActors.warehouse, '调错仓了')).toMatchObject({ ok: true, stage: 'reverse_requested' });
    await expect(refusal(transfers.reverse(no, 'approve', transferActors.warehouse2))).rejects.toThrow('没有此操作的权限');
    expect(await transfers.reverse(no, 'approve', transferActors.admin)).toMatchObject({ ok: true, stage: 'reversed' });
    expect(await transfers.onHand(a, 'MAIN')).toBe(before.main);
    expect(await transfers.onHand(a, 'RET')).toBe(before.ret);
    expect(await ledger(no)).toEqual([`transfer_out:${a}@MAIN:-4`, `transfer_back:${a}@MAIN:4`]);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });

  it('is cancelled before outbound without moving stock, and refuses an outbound the source cannot cover, moving nothing', async () => {
    const a = skus[4]!;
    const main = await transfers.onHand(a, 'MAIN');
    const cancelled = await transfers.create([{ code: a, qty: 2 }]);
    await expect(refusal(transfers.cancel(cancelled, ' '))).rejects.toThrow('取消请填写原因');
    expect(await transfers.cancel(cancelled, '不调了')).toMatchObject({ ok: true, stage: 'cancelled' });
    expect(await ledger(cancelled)).toEqual([]);

    const tooMuch = await transfers.create([{ code: a, qty: main + 1 }, { code: skus[5]!, qty: 1 }]);
    const refused = await transfers.outbound(tooMuch);
    expect(refused).toMatchObject({ ok: false, stage: 'created' });
    expect(refused.message).toContain(`${a} 需要 ${main + 1}，可用 ${main}`);
    expect(await ledger(tooMuch)).toEqual([]);
    expect(await transfers.onHand(a, 'MAIN')).toBe(main);
    await expect(refusal(transfers.outbound(tooMuch, transferActors.customerService))).rejects.toThrow('没有此操作的权限');
  });

  it('refuses a transfer to the same warehouse, an unknown SKU, a bundle and a quantity that is not a whole positive number, saving nothing', async () => {
    const bundle = await stack.db.em().findOne(Sku, { isBundle: true });
    await expect(transfers.create([{ code: skus[0]!, qty: 1 }], { toWarehouseCode: 'MAIN' })).rejects.toThrow('调出仓库和调入仓库不能相同');
    await expect(transfers.create([{ code: 'NO-SUCH-SKU', qty: 1 }])).rejects.toThrow('没有编码或条码为 NO-SUCH-SKU 的商品');
    if (bundle) await expect(transfers.create([{ code: bundle.code, qty: 1 }])).rejects.toThrow('是组合装');
    await expect(transfers.create([{ code: skus[0]!, qty: 1.5 }])).rejects.toThrow('数量必须是正整数');
  });

  it('lets one of two people approving the outbound at once win; the other is told, and the stock leaves once', async () => {
    const a = skus[6]!;
    const main = await transfers.onHand(a, 'MAIN');
    const no = await transfers.create([{ code: a, qty: 5 }]);
    await transfers.waitForStage(no, 'created');
    const version = await transfers.version(no);
    const send = (actor = transferActors.warehouse) => transfers.handle(no).executeUpdate(outboundUpdate, { args: [{ actor, expectedVersion: version }], updateId: `${no}-${actor.username}` }).then((r) => ({ ok: r.ok, message: r.message }), (e: unknown) => ({ ok: false, message: String((e as { cause?: Error }).cause?.message ?? e) }));
    const answers = await Promise.all([send(transferActors.warehouse), send(transferActors.warehouse2)]);
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    expect(answers.find((r) => !r.ok)?.message).toMatch(/已被他人(出库审核|修改)/);
    expect(await transfers.onHand(a, 'MAIN')).toBe(main - 5);
    expect(await ledger(no)).toEqual([`transfer_out:${a}@MAIN:-5`]);
  });

  it('applies a double-clicked outbound (same action id) once', async () => {
    const a = skus[7]!;
    const main = await transfers.onHand(a, 'MAIN');
    const no = await transfers.create([{ code: a, qty: 2 }]);
    const [x, y] = await Promise.all([transfers.outbound(no, transferActors.warehouse, `dbl-${no}`), transfers.outbound(no, transferActors.warehouse, `dbl-${no}`)]);
    expect(x).toEqual(y);
    expect(await transfers.onHand(a, 'MAIN')).toBe(main - 2);
  });
});

describe('the outbound note (出库单)', () => {
  it('prints through the print worker as an A4 PDF with every line, 25 to a page, and marks a second print as a reprint', async () => {
    const lines = skus.slice(0, 27).map((code, i) => ({ code, qty: i + 1 }));
    const no = await transfers.create(lines);
    const print = () => transfers.handle(no).executeUpdate(printNoteUpdate, { args: [{ actor: transferActors.warehouse }] });
    expect(await print()).toMatchObject({ ok: true, message: '出库单已生成（2 页）' });
    const pdf = async () => (await stack.db.em().fork().findOneOrFail(StockTransfer, { transferNo: no }, { populate: ['notePdf'] })).notePdf!;
    const pages = pdfPages(await pdf());
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('调拨出库单');
    expect(pages[0]).toContain(no);
    expect(pages[0]).toContain(lines[0]!.code);
    expect(pages[1]).toContain(lines[26]!.code);
    expect(pages[1]).toContain(`合计 27 种`);
    expect(await print()).toMatchObject({ ok: true });
    expect(pdfPages(await pdf())[0]).toContain('调拨出库单（重打）');
    await expect(refusal(transfers.handle(no).executeUpdate(printNoteUpdate, { args: [{ actor: transferActors.customerService }] }))).rejects.toThrow('没有此操作的权限');
    expect((await transfers.waitForStage(no, 'created')).printCount).toBe(2);
  });
});

describe('a worker stopped in the middle of a transfer', () => {
  it('moves nothing twice: the new worker finishes the transfer and a retried step finds its ledger rows', async () => {
    const address = process.env.TEMPORAL_ADDRESS!;
    const taskQueue = `gj-transfer-${randomBytes(4).toString('hex')}`;
    const bundle = process.env.GJ_WORKFLOW_BUNDLE ? { codePath: process.env.GJ_WORKFLOW_BUNDLE } : undefined;
    const start = () => createWorkers({ db: stack.db, temporalAddress: address, namespace: 'default', taskQueue, queues: ['main'], workflowBundle: bundle });
    const a = skus[8]!;
    const main = await transfers.onHand(a, 'MAIN');
    const ret = await transfers.onHand(a, 'RET');

    const first = await start();
    void first.run();
    const no = await transfers.create([{ code: a, qty: 6 }], {}, taskQueue);
    await transfers.waitForStage(no, 'created');
    const outbound = transfers.outbound(no);
    // Stop the worker the moment the outbound's ledger rows are committed, before the workflow has recorded the move.
    await (async () => {
      for (;;) {
        if (await stack.db.em().fork().count(StockLedgerEntry, { refType: 'transfer', refId: no })) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await first.shutdown();

    const second = await start();
    void second.run();
    try {
      expect(await outbound).toMatchObject({ ok: true, stage: 'in_transit' });
      expect(await transfers.inbound(no, [{ skuCode: a, qty: 6 }])).toMatchObject({ ok: true, stage: 'done' });
    } finally {
      await second.shutdown();
    }

    // The step Temporal would retry after a worker died between committing and reporting: same key, nothing moves.
    const again = await createStockTransferActivities({ db: stack.db }).shipTransfer({
      key: `transfer:${no}:out`, transferNo: no, warehouseCode: 'MAIN', quality: 'good', lines: [{ skuCode: a, qty: 6 }], actor: 'cangku',
    });
    expect(again).toMatchObject({ ok: true, already: true });
    expect(await transfers.onHand(a, 'MAIN')).toBe(main - 6);
    expect(await transfers.onHand(a, 'RET')).toBe(ret + 6);
    expect(await ledger(no)).toEqual([`transfer_out:${a}@MAIN:-6`, `transfer_in:${a}@RET:6`]);
    const level = await stack.db.em().fork().findOneOrFail(StockLevel, { skuCode: a, warehouseCode: 'MAIN', quality: 'good' });
    expect(level.onHand).toBe(main - 6);
    expect(await verifyStock(stack.db)).toMatchObject({ ok: true });
  });
});
