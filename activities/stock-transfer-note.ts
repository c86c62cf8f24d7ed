/**
 * 出库单: renders a transfer's outbound note through the same print renderer as waybills and packing lists (A4, 25
 * lines a page) and keeps the PDF on the transfer, so the page serves the note that was printed.
 */
import { Context } from '@temporalio/activity';
import { StockTransfer, Warehouse } from '../db/entities';
import type { Db } from '../db/orm';
import { fenToYuan } from '../domain/money';
import type { PrintRenderer } from './print-renderer';
import { labelSizeOf } from './print/label-size';
import type { PrintPage } from './print/print-page';

const TEMPLATE = 'outbound-note-210x297';

/** yyyy-MM-dd HH:mm in Asia/Shanghai (UTC+8, no daylight saving), as printed documents show times. */
const formatShanghaiTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const LINES_PER_PAGE = 25;

export function createStockTransferNoteActivities({ db, renderer }: { db: Db; renderer: PrintRenderer }) {
  return {
    /** Renders the note from the transfer as its workflow last wrote it and stores the PDF; returns its page count. */
    async renderTransferNote(input: { transferNo: string; printedBy: string; reprint: boolean }): Promise<{ pageCount: number }> {
      const em = db.em().fork();
      const row = await em.findOneOrFail(StockTransfer, { transferNo: input.transferNo });
      const s = row.snapshot;
      if (!s) throw new Error(`调拨单 ${input.transferNo} 没有内容`);
      const names = new Map((await em.find(Warehouse, { code: { $in: [s.fromWarehouseCode, s.toWarehouseCode] } })).map((w) => [w.code, w.name]));
      const size = labelSizeOf(TEMPLATE);
      const chunks: Array<typeof s.lines> = [];
      for (let i = 0; i < s.lines.length; i += LINES_PER_PAGE) chunks.push(s.lines.slice(i, i + LINES_PER_PAGE));
      const printedAt = formatShanghaiTime(new Date());
      const pages: PrintPage[] = chunks.map((chunk, p) => ({
        template: TEMPLATE,
        size,
        view: {
          transferNo: s.transferNo, from: s.fromWarehouseCode, to: s.toWarehouseCode, fromName: names.get(s.fromWarehouseCode) ?? '', toName: names.get(s.toWarehouseCode) ?? '',
          costBasisLabel: s.costBasis === 'other' ? '异价调拨' : '同价调拨', qualityLabel: s.quality === 'defective' ? '次品' : '良品', createdBy: s.createdBy,
          createdAt: formatShanghaiTime(new Date(s.createdAt)), memo: s.memo, showCost: s.costBasis === 'other', reprint: input.reprint,
          lines: chunk.map((l, i) => ({ n: p * LINES_PER_PAGE + i + 1, skuCode: l.skuCode, title: l.title, spec: l.spec, qty: l.qty, cost: fenToYuan(l.costFen) })),
          last: p === chunks.length - 1, lineCount: s.lines.length, total: s.lines.reduce((n, l) => n + l.qty, 0),
          outboundBy: s.outbound?.by ?? '________', printedBy: input.printedBy, printedAt, page: p + 1, pages: chunks.length,
        },
      }));
      // The render may take seconds on a busy print worker: heartbeat so a worker killed mid-render is noticed quickly.
      const beat = setInterval(() => Context.current().heartbeat(), 5_000);
      let pdf: Buffer;
      try {
        pdf = await renderer.renderPdf(renderer.renderHtml(pages));
      } finally {
        clearInterval(beat);
      }
      await em.nativeUpdate(StockTransfer, { transferNo: s.transferNo }, { notePdf: pdf, notePages: pages.length });
      return { pageCount: pages.length };
    },
  };
}
