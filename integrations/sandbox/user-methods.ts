/**
 * The sandbox's taobao.user.seller.get: the seller the session key belongs to. Cheap and needing a valid session, it
 * is what 测试连接 calls to check an app key, secret, sign method and session key in one go.
 */
import type { TopMethodHandler } from './top-gateway';

export function createUserMethods(sellerNick: string): Record<string, TopMethodHandler> {
  return {
    'taobao.user.seller.get': (p) => {
      p.required('fields');
      return { user: { nick: sellerNick, user_id: 2_200_000_001, type: 'C', has_shop: true } };
    },
  };
}
