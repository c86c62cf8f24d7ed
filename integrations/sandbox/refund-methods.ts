/**
 * The sandbox's refund calls: taobao.refund.get, taobao.rp.returngoods.agree, taobao.rp.refunds.agree (refund_infos
 * "refund_id|amount|version|phase", amounts in fen, per-refund results) and taobao.refund.refuse, answered as the
 * real gateway does; the rules themselves live in the refund book.
 */
import type { AgreeRefundInfo, RefundBook } from './refund-book';
import { topFailure } from './top-failure';
import type { TopMethodHandler } from './top-gateway';
import { pickFields } from './trade-methods';

const REFUND_INFO = /^(\d+)\|(\d+)\|(\d+)(?:\|(onsale|aftersale)?)?$/;

/** The refund TOP methods, keyed by method name, for the gateway. */
export function createRefundMethods(book: RefundBook): Record<string, TopMethodHandler> {
  return {
    'taobao.refund.get': (p) => {
      const refund = book.requireRefund(p.id('refund_id'));
      return { refund: pickFields(refund, p.required('fields')) };
    },

    'taobao.rp.returngoods.agree': (p) => {
      book.agreeReturnGoods({
        refundId: p.id('refund_id'),
        version: p.id('refund_version'),
        name: p.required('name'),
        mobile: p.required('mobile'),
        address: p.required('address'),
        post: p.string('post'),
        remark: p.string('remark'),
      });
      return { is_success: true };
    },

    'taobao.rp.refunds.agree': (p) => {
      const infos: AgreeRefundInfo[] = p.required('refund_infos').split(',').map((text) => {
        const m = REFUND_INFO.exec(text.trim());
        if (!m) throw topFailure.invalid('refund_infos', `refund_infos 格式应为 refund_id|amount|version|phase，收到 "${text}"`);
        return { refundId: m[1] as string, amountFen: Number(m[2]), version: m[3] as string, phase: m[4] ?? '' };
      });
      if (new Set(infos.map((i) => i.refundId)).size !== infos.length) throw topFailure.invalid('refund_infos', '同一退款在 refund_infos 中出现了两次');
      const results = book.agreeRefunds(infos);
      const ok = results.filter((r) => r.succ).length;
      return {
        succ: ok === results.length,
        msg_code: ok === results.length ? 'OP_SUCC' : ok > 0 ? 'SOME_OP_SUCC' : 'OP_FAILURE_UE',
        message: ok === results.length ? '全部成功' : `${ok}/${results.length} 笔成功`,
        results: { refund_mapping_result: results },
      };
    },

    'taobao.refund.refuse': (p) => {
      const message = p.required('refuse_message');
      if (message.length < 2 || message.length > 200) throw topFailure.invalid('refuse_message', '拒绝说明长度应为 2 到 200');
      const refund = book.refuseRefund({ refundId: p.id('refund_id'), version: p.id('refund_version'), message });
      return { is_success: true, refund: { refund_id: refund.refund_id, status: refund.status, modified: refund.modified } };
    },
  };
}
