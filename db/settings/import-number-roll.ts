/**
 * 号段 imports for couriers whose tracking numbers come from a roll: a range (prefix + start..end) or a list file (one
 * number per line). Numbers listed twice or already in the roll are reported and skipped; a bad line refuses the
 * whole import, so nothing is half-written; each import is a record of its own and an audit row. Runs in the caller's
 * transaction (`em`), so a failed insert leaves the roll as it was.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { Courier, NumberRollImport, WaybillPoolNumber } from '../entities';
import type { Actor } from '../../domain/roles';
import { recordPlacesAudit } from './warehouse-courier-audit';

/** The most numbers one import may add: a roll larger than this is imported in parts. */
export const MAX_ROLL_IMPORT = 100_000;
export const ROLL_NUMBER = /^[A-Za-z0-9-]{4,40}$/;
const PREFIX = /^[A-Za-z0-9-]{0,20}$/;
const DIGITS = /^\d{1,30}$/;
const SAMPLES = 20;
const CHUNK = 1000;

export interface RangeInput {
  prefix: string;
  start: string;
  end: string;
}

export type RangePreview = { ok: true; count: number; first: string; last: string } | { ok: false; message: string };

export type RollImportOutcome =
  | { ok: true; record: NumberRollImport }
  | { ok: false; status: 400 | 404 | 409; message: string };

/**
 * The numbers a range stands for: the start's digits keep their width (0001..0100 gives 0001, 0002…), so the count
 * shown before importing is exactly what the import reads.
 */
export function previewRange(input: RangeInput): RangePreview {
  const prefix = input.prefix.trim();
  const start = input.start.trim();
  const end = input.end.trim();
  if (!PREFIX.test(prefix)) return { ok: false, message: '前缀只能用字母、数字和 -，最多 20 个字符' };
  if (!DIGITS.test(start) || !DIGITS.test(end)) return { ok: false, message: '起始号和结束号只能是数字' };
  const from = BigInt(start);
  const to = BigInt(end);
  if (to < from) return { ok: false, message: '结束号不能小于起始号' };
  const count = to - from + 1n;
  if (count > BigInt(MAX_ROLL_IMPORT)) return { ok: false, message: `一次最多导入 ${MAX_ROLL_IMPORT.toLocaleString('en-US')} 个单号，这一段有 ${count.toLocaleString('en-US')} 个：请分几次导入` };
  const width = start.length;
  const format = (n: bigint) => `${prefix}${n.toString().padStart(width, '0')}`;
  const first = format(from);
  const last = format(to);
  if (!ROLL_NUMBER.test(first) || !ROLL_NUMBER.test(last)) return { ok: false, message: '单号须为 4 到 40 个字母或数字' };
  return { ok: true, count: Number(count), first, last };
}

function rangeNumbers(input: RangeInput, count: number): string[] {
  const prefix = input.prefix.trim();
  const start = input.start.trim();
  const from = BigInt(start);
  const out: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = `${prefix}${(from + BigInt(i)).toString().padStart(start.length, '0')}`;
  return out;
}

/**
 * Reads a CSV or TXT list: the number is the first field of each line; blank lines and a header line without digits
 * are skipped; any other line that is not a number is named with its line number.
 */
export function parseNumberList(text: string): { ok: true; numbers: string[] } | { ok: false; message: string } {
  const numbers: string[] = [];
  const bad: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, i) => {
    const field = (line.split(/[,\t;]/)[0] ?? '').trim().replace(/^"(.*)"$/, '$1').trim();
    if (!field) return;
    if (i === 0 && !/\d/.test(field)) return;
    if (ROLL_NUMBER.test(field)) numbers.push(field);
    else if (bad.length < 5) bad.push(`第 ${i + 1} 行「${field.slice(0, 40)}」`);
    else bad.push('');
  });
  if (bad.length) {
    const named = bad.filter(Boolean).join('、');
    const more = bad.length > 5 ? ` 等 ${bad.length} 行` : '';
    return { ok: false, message: `文件里有不是单号的行：${named}${more}。单号须为 4 到 40 个字母、数字或 -，每行一个；请改好后重新导入，这次什么都没导入。` };
  }
  if (!numbers.length) return { ok: false, message: '文件里没有单号：每行写一个单号' };
  if (numbers.length > MAX_ROLL_IMPORT) return { ok: false, message: `一次最多导入 ${MAX_ROLL_IMPORT.toLocaleString('en-US')} 个单号，文件里有 ${numbers.length.toLocaleString('en-US')} 个：请分几个文件导入` };
  return { ok: true, numbers };
}

async function rollCourier(em: EntityManager, courierCode: string): Promise<Courier | string> {
  const courier = await em.findOne(Courier, { code: courierCode });
  if (!courier) return `快递 ${courierCode} 不存在`;
  if (courier.provider !== 'pool') return `${courier.name} 的单号来自菜鸟电子面单，不用导入号段；要用号段请先把它的单号来源改为「号段」`;
  return courier;
}

async function addNumbers(em: EntityManager, actor: Actor, courierCode: string, kind: 'range' | 'list', source: string, numbers: string[]): Promise<RollImportOutcome> {
  const courier = await rollCourier(em, courierCode);
  if (typeof courier === 'string') return { ok: false, status: courier.startsWith('快递') ? 404 : 409, message: courier };
  const seen = new Set<string>();
  const duplicated: string[] = [];
  for (const n of numbers) {
    if (seen.has(n)) duplicated.push(n);
    else seen.add(n);
  }
  const unique = [...seen];
  const present: string[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await em.find(WaybillPoolNumber, { courierCode, number: { $in: unique.slice(i, i + CHUNK) } }, { fields: ['number'] });
    for (const r of rows) present.push(r.number);
  }
  const known = new Set(present);
  const fresh = unique.filter((n) => !known.has(n));
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await em.insertMany(WaybillPoolNumber, fresh.slice(i, i + CHUNK).map((number) => ({ courierCode, number, status: 'free' as const, orderId: null, reservedAt: null })));
  }
  const record = em.create(NumberRollImport, {
    courierCode, kind, source: source.slice(0, 200), requested: numbers.length, added: fresh.length,
    duplicates: duplicated.length, alreadyPresent: present.length,
    duplicateSamples: [...new Set([...duplicated, ...present])].slice(0, SAMPLES), createdBy: actor.username, createdAt: new Date(),
  });
  await em.flush();
  recordPlacesAudit(em, actor, {
    entityType: 'number_roll', entityId: courierCode, action: 'number_roll.import', reason: source.slice(0, 200),
    after: { importId: record.id, kind, requested: numbers.length, added: fresh.length, duplicates: duplicated.length, alreadyPresent: present.length },
  });
  await em.flush();
  return { ok: true, record };
}

export async function importNumberRange(em: EntityManager, actor: Actor, courierCode: string, input: RangeInput): Promise<RollImportOutcome> {
  const preview = previewRange(input);
  if (!preview.ok) return { ok: false, status: 400, message: preview.message };
  const numbers = rangeNumbers(input, preview.count);
  return addNumbers(em, actor, courierCode, 'range', `${preview.first} .. ${preview.last}`, numbers);
}

export async function importNumberList(em: EntityManager, actor: Actor, courierCode: string, fileName: string, text: string): Promise<RollImportOutcome> {
  const parsed = parseNumberList(text);
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message };
  return addNumbers(em, actor, courierCode, 'list', fileName || '单号列表', parsed.numbers);
}

/** The courier's imports, newest first. */
export function listNumberRollImports(em: EntityManager, courierCode: string, limit = 20): Promise<NumberRollImport[]> {
  return em.find(NumberRollImport, { courierCode }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
}
