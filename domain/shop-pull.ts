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
  /** Platform refunds read, and after-sales cases they opened. */
  refunds?: number;
  casesOpened?: number;
  cursor: string;
  /** Why this pull stopped early (the shop's last pull error says the same); the next scheduled pull resumes from the cursor. */
  error?: string;
}
