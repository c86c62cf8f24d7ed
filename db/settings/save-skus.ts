/**
 * 货品档案 writes: SKUs (with their product) and bundles (组合装) created or changed by the goods pages, the import and
 * the API, all through one check-then-write in a single transaction: every bad row is named with its reason and then
 * nothing is written, so an import is never half applied. Codes (商家编码) and barcodes are unique.
 */
import type { EntityManager } from '@mikro-orm/knex';
import { BundleComponent, Product, Sku, StockLevel } from '../entities';
import type { Actor } from '../../domain/roles';
import { writeGoodsAudit, type GoodsAuditRow } from './goods-audit';

export interface SkuComponentInput {
  code: string;
  qty: number;
}

export interface SkuInput {
  code: string;
  barcode: string;
  name: string;
  spec: string;
  /** The product (货品) it belongs to; '' = a product of its own with the SKU's code. */
  productCode: string;
  weightGrams: number;
  costFen: number;
  priceFen: number;
  active: boolean;
  /** Non-empty for a bundle: what one bundle is made of. */
  components: SkuComponentInput[];
}

export interface SkuRowInput {
  /** The file's row number (import) or the list position (API); what a bad row is named by. */
  row: number;
  input: SkuInput;
}

export interface SkuRowError {
  row: number;
  code: string;
  message: string;
}

export type SaveMode = 'create' | 'update' | 'upsert';

export type SaveSkusResult =
  | { ok: true; created: string[]; updated: string[] }
  | { ok: false; errors: SkuRowError[] };

export const SKU_CODE = /^[^\s*;,，；]{1,60}$/;
const BARCODE = /^[0-9A-Za-z-]{0,60}$/;
const MAX_FEN = 1_000_000_000;
const MAX_GRAMS = 1_000_000;
const MAX_COMPONENTS = 50;
const CHUNK = 500;

/** What an audit row keeps of a SKU. */
function facts(s: Pick<Sku, 'barcode' | 'name' | 'spec' | 'weightGrams' | 'costFen' | 'priceFen' | 'active' | 'isBundle'>, productCode: string, components: SkuComponentInput[]) {
  return {
    barcode: s.barcode, name: s.name, spec: s.spec, productCode, weightGrams: s.weightGrams, costFen: s.costFen, priceFen: s.priceFen,
    active: s.active, components: [...components].sort((a, b) => a.code.localeCompare(b.code)).map((c) => `${c.code}*${c.qty}`).join(';'),
  };
}

/** The problems of one row on its own (no database), in the words staff read next to the row. */
export function checkSkuFields(s: SkuInput): string[] {
  const bad: string[] = [];
  if (!s.code) bad.push('商家编码不能为空');
  else if (!SKU_CODE.test(s.code)) bad.push(`商家编码“${s.code}”不能含空格、逗号、分号或 *，且不超过 60 个字符`);
  if (!BARCODE.test(s.barcode)) bad.push(`条码“${s.barcode}”只能含数字、字母和 -，且不超过 60 个字符`);
  if (!s.name.trim()) bad.push('货品名称不能为空');
  else if (s.name.length > 200) bad.push('货品名称不超过 200 个字符');
  if (s.spec.length > 200) bad.push('规格不超过 200 个字符');
  if (s.productCode && !SKU_CODE.test(s.productCode)) bad.push(`货品编号“${s.productCode}”不能含空格、逗号、分号或 *，且不超过 60 个字符`);
  if (!Number.isInteger(s.weightGrams) || s.weightGrams < 0 || s.weightGrams > MAX_GRAMS) bad.push('重量应为 0 到 1000000 克的整数');
  if (!Number.isInteger(s.costFen) || s.costFen < 0 || s.costFen > MAX_FEN) bad.push('成本价应为不小于 0 的金额');
  if (!Number.isInteger(s.priceFen) || s.priceFen < 0 || s.priceFen > MAX_FEN) bad.push('售价应为不小于 0 的金额');
  if (s.components.length > MAX_COMPONENTS) bad.push(`组合装最多 ${MAX_COMPONENTS} 种明细`);
  const seen = new Set<string>();
  for (const c of s.components) {
    if (!Number.isInteger(c.qty) || c.qty < 1 || c.qty > 9999) bad.push(`组合明细 ${c.code} 的数量应为 1 到 9999 的整数`);
    if (c.code === s.code) bad.push('组合装不能包含它自己');
    if (seen.has(c.code)) bad.push(`组合明细 ${c.code} 重复`);
    seen.add(c.code);
  }
  return bad;
}

/** Parses `A001*2;B002*1` (also `A001×2,B002` and full-width separators); a missing quantity is 1. */
export function parseComponents(text: string): { components: SkuComponentInput[]; error: string } {
  const parts = text.split(/[;；,，\n]/).map((p) => p.trim()).filter(Boolean);
  const components: SkuComponentInput[] = [];
  for (const part of parts) {
    const m = /^([^*×\s]+)\s*(?:[*×]\s*(\d+))?$/.exec(part);
    if (!m) return { components: [], error: `组合明细“${part}”看不懂，应写成 商家编码*数量，多个用分号隔开，例如 A001*2;B002*1` };
    components.push({ code: m[1]!, qty: m[2] ? Number(m[2]) : 1 });
  }
  return { components, error: '' };
}

export function formatComponents(components: ReadonlyArray<SkuComponentInput>): string {
  return components.map((c) => `${c.code}*${c.qty}`).join(';');
}

async function inChunks<T>(keys: string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await load(keys.slice(i, i + CHUNK))));
  return out;
}

/**
 * Checks every row against the others and the catalogue, then writes them all or none. `create` refuses a code that
 * exists, `update` one that does not, `upsert` (import, API sync) creates or updates by code.
 */
export async function saveSkus(
  em: EntityManager,
  actor: Pick<Actor, 'username' | 'displayName'>,
  rows: SkuRowInput[],
  mode: SaveMode,
  options: { action?: string; knownErrors?: SkuRowError[] } = {},
): Promise<SaveSkusResult> {
  const action = options.action ?? '';
  return em.transactional(async (tx) => {
    // Problems found before (cells that could not be read) are reported with these, and also stop the write.
    const errors: SkuRowError[] = [...(options.knownErrors ?? [])];
    const fail = (r: SkuRowInput, message: string) => errors.push({ row: r.row, code: r.input.code, message });
    for (const r of rows) for (const m of checkSkuFields(r.input)) fail(r, m);

    const byCode = new Map<string, SkuRowInput>();
    const byBarcode = new Map<string, SkuRowInput>();
    for (const r of rows) {
      const earlier = byCode.get(r.input.code);
      if (earlier) fail(r, `商家编码 ${r.input.code} 与第 ${earlier.row} 行重复`);
      else byCode.set(r.input.code, r);
      if (r.input.barcode) {
        const other = byBarcode.get(r.input.barcode);
        if (other && other.input.code !== r.input.code) fail(r, `条码 ${r.input.barcode} 与第 ${other.row} 行重复`);
        else byBarcode.set(r.input.barcode, r);
      }
    }

    const codes = [...byCode.keys()];
    const componentCodes = [...new Set(rows.flatMap((r) => r.input.components.map((c) => c.code)))].filter((c) => !byCode.has(c));
    const existing = new Map((await inChunks(codes, (chunk) => tx.find(Sku, { code: { $in: chunk } }))).map((s) => [s.code, s]));
    const outside = new Map((await inChunks(componentCodes, (chunk) => tx.find(Sku, { code: { $in: chunk } }))).map((s) => [s.code, s]));
    const barcodes = [...byBarcode.keys()];
    const barcodeOwners = await inChunks(barcodes, (chunk) => tx.find(Sku, { barcode: { $in: chunk } }, { fields: ['code', 'barcode'] }));
    const usedAsComponent = new Map(
      (await inChunks(codes, (chunk) => tx.find(BundleComponent, { componentSkuCode: { $in: chunk } }))).map((b) => [b.componentSkuCode, b.bundleSkuCode]),
    );
    const oldComponents = await inChunks(codes, (chunk) => tx.find(BundleComponent, { bundleSkuCode: { $in: chunk } }));
    const stocked = new Set(
      (await inChunks(codes, (chunk) => tx.find(StockLevel, { skuCode: { $in: chunk }, $or: [{ onHand: { $ne: 0 } }, { reserved: { $ne: 0 } }] }, { fields: ['skuCode'] }))).map((l) => l.skuCode),
    );

    for (const r of rows) {
      const s = r.input;
      const old = existing.get(s.code);
      if (mode === 'create' && old) fail(r, `商家编码 ${s.code} 已存在，请换一个编码或去修改那个货品`);
      if (mode === 'update' && !old) fail(r, `商家编码 ${s.code} 不存在`);
      for (const owner of barcodeOwners) {
        if (owner.barcode === s.barcode && owner.code !== s.code && !(byCode.has(owner.code) && byCode.get(owner.code)!.input.barcode !== owner.barcode)) {
          fail(r, `条码 ${s.barcode} 已被货品 ${owner.code} 使用`);
        }
      }
      if (s.components.length) {
        const bundle = usedAsComponent.get(s.code);
        if (bundle) fail(r, `${s.code} 是组合装 ${bundle} 的明细，不能再设为组合装`);
        if (old && !old.isBundle && stocked.has(s.code)) fail(r, `${s.code} 有库存，不能改为组合装（组合装不单独存货）`);
        for (const c of s.components) {
          const inBatch = byCode.get(c.code)?.input;
          const part = inBatch ? { isBundle: inBatch.components.length > 0 } : outside.get(c.code) ?? existing.get(c.code);
          if (!part) fail(r, `组合明细 ${c.code} 不是已有的商家编码`);
          else if (part.isBundle) fail(r, `组合明细 ${c.code} 本身是组合装，组合装只能由单品组成`);
        }
      } else if (old?.isBundle && !s.components.length && mode !== 'create') {
        // Leaving the components column empty on an existing bundle would silently turn it into a plain SKU.
        fail(r, `${s.code} 是组合装，请填写组合明细`);
      }
    }
    if (errors.length) return { ok: false as const, errors: errors.sort((a, b) => a.row - b.row) };

    const keptIds = [...new Set(rows.filter((r) => !r.input.productCode && existing.has(r.input.code)).map((r) => existing.get(r.input.code)!.productId))];
    const kept = new Map((keptIds.length ? await tx.find(Product, { id: { $in: keptIds } }) : []).map((p) => [p.id, p]));
    // No product code given: an existing SKU stays with its product, a new one gets a product of its own code.
    const productCodeFor = (r: SkuRowInput) => r.input.productCode || kept.get(existing.get(r.input.code)?.productId ?? -1)?.code || r.input.code;
    const productCodes = [...new Set(rows.map(productCodeFor))];
    const products = new Map((await inChunks(productCodes, (chunk) => tx.find(Product, { code: { $in: chunk } }))).map((p) => [p.code, p]));
    for (const r of rows) {
      const code = productCodeFor(r);
      if (!products.has(code)) products.set(code, tx.create(Product, { code, name: r.input.name }));
    }
    await tx.flush();
    const productCodeOf = new Map([...products.values(), ...kept.values()].map((p) => [p.id, p.code]));

    const componentsOf = new Map<string, SkuComponentInput[]>();
    for (const b of oldComponents) componentsOf.set(b.bundleSkuCode, [...(componentsOf.get(b.bundleSkuCode) ?? []), { code: b.componentSkuCode, qty: b.qty }]);

    const audit: GoodsAuditRow[] = [];
    const created: string[] = [];
    const updated: string[] = [];
    for (const r of rows) {
      const s = r.input;
      const product = products.get(productCodeFor(r))!;
      const values = {
        productId: product.id, barcode: s.barcode, name: s.name.trim(), spec: s.spec.trim(), weightGrams: s.weightGrams, costFen: s.costFen,
        priceFen: s.priceFen, isBundle: s.components.length > 0, active: s.active,
      };
      const old = existing.get(s.code);
      if (old) {
        const before = facts(old, productCodeOf.get(old.productId) ?? '', componentsOf.get(s.code) ?? []);
        tx.assign(old, values);
        const after = facts(old, product.code, s.components);
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        audit.push({ entityType: 'sku', entityId: s.code, action: action || 'sku_update', before, after });
        updated.push(s.code);
      } else {
        const sku = tx.create(Sku, { code: s.code, ...values });
        audit.push({ entityType: 'sku', entityId: s.code, action: action || 'sku_create', after: facts(sku, product.code, s.components) });
        created.push(s.code);
      }
    }
    await tx.flush();
    const bundles = rows.filter((r) => existing.has(r.input.code) || r.input.components.length).map((r) => r.input.code);
    for (let i = 0; i < bundles.length; i += CHUNK) await tx.nativeDelete(BundleComponent, { bundleSkuCode: { $in: bundles.slice(i, i + CHUNK) } });
    const parts = rows.flatMap((r) => r.input.components.map((c) => ({ bundleSkuCode: r.input.code, componentSkuCode: c.code, qty: c.qty })));
    for (let i = 0; i < parts.length; i += CHUNK) await tx.insertMany(BundleComponent, parts.slice(i, i + CHUNK));
    await writeGoodsAudit(tx, actor, audit);
    return { ok: true as const, created, updated };
  });
}
