/** Reads the lines box of the stock forms, where a person types lines or a barcode scanner types a code and Enter per unit. */
import { yuanToFen } from '../../domain/money';

const MAX_LINES = 500;

/**
 * The lines box of the transfer, document and count forms: one line per SKU as `code qty [unit price]`, or a bare code per scan (one unit);
 * a code given again adds up. Returns the reason when a line cannot be read.
 */
export function parseLinesText(text: string, withCost: boolean, allowZero = false): Array<{ code: string; qty: number; costFen?: number }> | string {
  const out: Array<{ code: string; qty: number; costFen?: number }> = [];
  const rows = text.split(/\r?\n/).map((r) => r.trim()).filter(Boolean);
  if (rows.length > MAX_LINES) return `最多 ${MAX_LINES} 行`;
  for (const [i, row] of rows.entries()) {
    const [code = '', qtyText, priceText] = row.split(/[\s,，\t]+/);
    const qty = qtyText === undefined ? 1 : Number(qtyText);
    if (!Number.isInteger(qty) || qty < (allowZero ? 0 : 1)) return `第 ${i + 1} 行「${row}」：数量必须是${allowZero ? '不小于 0 的整数' : '正整数'}`;
    const line: { code: string; qty: number; costFen?: number } = { code, qty };
    if (withCost && priceText !== undefined) {
      try {
        line.costFen = yuanToFen(priceText);
      } catch {
        return `第 ${i + 1} 行「${row}」：单价不是有效金额`;
      }
    }
    out.push(line);
  }
  return out;
}

