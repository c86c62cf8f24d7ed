/** CSV import and export of platform order reports. */
export { buildTaobaoOrderExportCsv, type TaobaoOrderExportCsv } from './build-taobao-order-export-csv';
export { type CsvEncoding, type CsvSource, type DecodedCsv, decodeCsvSource } from './decode-csv-source';
export {
  type ImportedPlatformOrder,
  type OrderExportError,
  type OrderExportFile,
  type OrderExportStats,
  type TaobaoOrderExportInput,
  type TaobaoOrderExportResult,
  type TaobaoOrderExportTextInput,
  parseTaobaoOrderExport,
  parseTaobaoOrderExportText,
} from './parse-taobao-order-export';
export { taobaoStatusFromLabel, taobaoStatusLabel } from './taobao-status-label';
