/** One printed page of a batch: which template draws it, on which label size, from which view. */
import type { LabelSize } from './label-size';

export interface PrintPage {
  /** File name in ui-templates/print without .hbs, e.g. waybill-76x130 or packing-list. */
  template: string;
  size: LabelSize;
  view: object;
}
