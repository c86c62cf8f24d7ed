/** Label sizes of the print templates, read from the template name as couriers and printers state them. */

export interface LabelSize {
  /** CSS named page, e.g. p100x180; every page of that size prints on it. */
  name: string;
  widthMm: number;
  heightMm: number;
}

export const DEFAULT_WAYBILL_TEMPLATE = 'waybill-100x180';

/** A waybill template's name ends in its size in mm (waybill-76x130), so a new label stock needs only a new template. */
export function labelSizeOf(template: string): LabelSize {
  const m = /(\d+)x(\d+)$/.exec(template);
  if (!m) throw new RangeError(`面单模板名称须以尺寸结尾（如 waybill-100x180）: "${template}"`);
  const widthMm = Number(m[1]);
  const heightMm = Number(m[2]);
  return { name: `p${widthMm}x${heightMm}`, widthMm, heightMm };
}
