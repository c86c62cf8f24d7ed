/** Every workflow Guanjia runs; the worker's workflowsPath points here. */
export { exchangeWorkflow } from './exchange';
export { goodsPullWorkflow } from './goods-pull';
export { importOrdersWorkflow } from './import-orders';
export { orderWorkflow } from './order';
export { platformRefundBatchWorkflow } from './platform-refund-batch';
export { printBatchWorkflow } from './print-batch';
export { reissueWorkflow } from './reissue';
export { returnWorkflow } from './return';
export { retentionPurgeWorkflow } from './retention-purge';
export { shopPullWorkflow } from './shop-pull';
export { stockDocumentWorkflow } from './stock-document';
export { stockTransferWorkflow } from './stock-transfer';
export { stocktakeWorkflow } from './stocktake';
