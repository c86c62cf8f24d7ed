/** The sandbox's taobao.logistics.offline.send: records the shipment Guanjia reports, once per trade or sub-order. */
import type { SandboxStore } from './sandbox-store';
import { topFailure } from './top-failure';
import type { TopMethodHandler } from './top-gateway';

const COMPANY_CODE = /^[A-Za-z0-9_-]{2,20}$/;
const OUT_SID = /^[A-Za-z0-9-]{6,40}$/;

export function createLogisticsMethods(store: SandboxStore): Record<string, TopMethodHandler> {
  return {
    'taobao.logistics.offline.send': (p) => {
      const tid = p.required('tid');
      const companyCode = p.required('company_code');
      const outSid = p.required('out_sid');
      if (!COMPANY_CODE.test(companyCode)) throw topFailure.invalid('company_code', `物流公司代码 ${companyCode} 无效`);
      if (!OUT_SID.test(outSid)) throw topFailure.invalid('out_sid', `运单号 ${outSid} 不符合规则`);
      const subTid = p.string('sub_tid');
      const oids = subTid ? subTid.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      store.ship({ tid, companyCode, outSid, ...(oids?.length ? { oids } : {}) });
      return { shipping: { is_success: true } };
    },
  };
}
