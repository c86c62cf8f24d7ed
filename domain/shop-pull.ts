/** One pull of a shop's changed orders (抓单): which shop, and what it found. */

export interface ShopPullInput {
  shopCode: string;
}

export interface ShopPullResult {
  shopCode: string;
  pulled: number;
  started: number;
  signalled: number;
  unchanged: number;
  cursor: string;
}
