/** The failures the sandbox gateway answers, with the codes and messages the real TOP gateway uses. */
import { TopError } from '../taobao/top-error';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';

const PROTOCOL_MESSAGES: Record<number, string> = {
  7: 'App Call Limited',
  15: 'Remote service error',
  21: 'Missing Method',
  22: 'Invalid Method',
  23: 'Invalid Format',
  24: 'Missing Signature',
  25: 'Invalid Signature',
  26: 'Missing Session',
  27: 'Invalid Session',
  28: 'Missing App Key',
  29: 'Invalid App Key',
  30: 'Missing Timestamp',
  31: 'Invalid Timestamp',
  32: 'Missing Version',
  34: 'Unsupported Version',
};

export const topFailure = {
  /** A gateway-level refusal (signature, app key, timestamp, session, limits) before any method runs. */
  protocol(code: keyof typeof PROTOCOL_MESSAGES, subCode?: string, subMsg?: string): TopError {
    return new TopError({ code: String(code), msg: PROTOCOL_MESSAGES[code] ?? 'Unknown error', subCode, subMsg });
  },
  missing(name: string): TopError {
    return new TopError({
      code: '40',
      msg: `Missing required arguments:${name}`,
      subCode: TOP_SUB_CODES.missingParameter,
      subMsg: `缺少必选参数 ${name}`,
    });
  },
  invalid(name: string, why: string): TopError {
    return new TopError({ code: '41', msg: `Invalid arguments:${name}`, subCode: TOP_SUB_CODES.invalidParameter, subMsg: why });
  },
  /** Code 15 as the gateway relays it: an isv.* sub_code is a business refusal, isp.* a platform fault. */
  remote(subCode: string, subMsg: string): TopError {
    return new TopError({ code: '15', msg: 'Remote service error', subCode, subMsg });
  },
};
