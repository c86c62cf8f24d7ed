/** Every workflow Guanjia runs; the worker's workflowsPath points here. */
export { importOrdersWorkflow } from './import-orders';
export { orderWorkflow } from './order';
export { printBatchWorkflow } from './print-batch';
export { shopPullWorkflow } from './shop-pull';
