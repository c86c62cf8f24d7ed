/** Says what a 号段 import did in one sentence: how many were added, listed twice, or already in the roll. */
import type { NumberRollImport } from '../../db/entities';

export function numberRollResultMessage(r: NumberRollImport): string {
  const parts = [`${r.courierCode} 号段导入完成：读到 ${r.requested} 个单号，新增 ${r.added} 个`];
  if (r.duplicates) parts.push(`文件中重复 ${r.duplicates} 个`);
  if (r.alreadyPresent) parts.push(`号段中已有 ${r.alreadyPresent} 个`);
  const skipped = r.duplicates || r.alreadyPresent ? `（已跳过：${r.duplicateSamples.join('、')}${r.duplicates + r.alreadyPresent > r.duplicateSamples.length ? ' …' : ''}）` : '';
  return `${parts.join('；')}${skipped}`;
}
