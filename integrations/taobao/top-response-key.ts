/** Where TOP puts a method's answer: `taobao.trade.fullinfo.get` answers under `trade_fullinfo_get_response`. */
export function topResponseKey(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
}
