/** 获取平台商品 (goodsPullWorkflow): its input, result and the progress query the mapping page polls. */
import { defineQuery } from '@temporalio/workflow';

export interface GoodsPullInput {
  shopCode: string;
  /** Items read from the platform per activity; each item is one taobao.item.seller.get. */
  batchSize?: number;
}

export interface GoodsPullProgress {
  shopCode: string;
  stage: 'listing' | 'pulling' | 'done' | 'failed';
  /** Listings on sale found so far, and how many of them have been read with their SKUs. */
  items: number;
  itemsDone: number;
  /** Platform SKUs recorded, and how many of them were new to Guanjia. */
  seen: number;
  added: number;
  /** The platform's refusal in words when stage is 'failed'. */
  error: string;
}

export const goodsPullProgressQuery = defineQuery<GoodsPullProgress>('goodsPullProgress');

export const goodsPullWorkflowId = (shopCode: string) => `goods-pull:${shopCode}`;
