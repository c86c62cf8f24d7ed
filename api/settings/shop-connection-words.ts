/** Says in words what the platform answered to 测试连接 (or to a pull): which setting is wrong and what to do about it. */
import { isSessionRefused } from '../../activities/shop-api';
import { TopError } from '../../integrations/taobao/top-error';

export type ConnectionProblem = 'signature' | 'app_key' | 'session' | 'rate_limited' | 'permission' | 'clock' | 'address' | 'unreachable' | 'platform';

export interface ConnectionFailure {
  problem: ConnectionProblem;
  /** What to tell the person, in Chinese like every staff-facing message. */
  message: string;
  /** The platform's own answer, verbatim (code, sub code, message), for whoever asks the platform's support. */
  platformAnswer: string;
}

function answerOf(err: TopError): string {
  return [err.code !== 'transport' ? `code ${err.code}` : '', err.subCode ?? '', err.subMsg ?? err.msg].filter(Boolean).join(' · ');
}

export function describeConnectionFailure(err: unknown, apiUrl: string): ConnectionFailure {
  if (!(err instanceof TopError)) return { problem: 'unreachable', message: `测试连接失败：${String((err as Error)?.message ?? err)}`, platformAnswer: '' };
  const platformAnswer = answerOf(err);
  const sub = err.subCode ?? '';
  const say = (problem: ConnectionProblem, message: string): ConnectionFailure => ({ problem, message, platformAnswer });
  if (err.code === 'transport') {
    if (sub === 'timeout') return say('unreachable', `连接超时：API 地址 ${apiUrl} 在规定时间内没有回应，请检查地址和网络`);
    if (sub === 'network') return say('unreachable', `连不上 API 地址 ${apiUrl}：请检查地址是否写对、服务器能否访问外网`);
    if (sub.startsWith('http-')) return say('address', `API 地址不对：${apiUrl} 回答了 HTTP ${sub.slice(5)}，淘宝开放平台的地址是 https://eco.taobao.com/router/rest`);
    return say('address', `API 地址回答的不是开放平台的格式：请检查 ${apiUrl} 是不是 TOP 网关地址`);
  }
  if (err.code === '25' || sub === 'isv.invalid-signature') return say('signature', '签名错误：App Secret 或签名方法与开放平台登记的不一致，请核对后重新填写');
  if (err.code === '28' || err.code === '29' || sub === 'isv.appkey-not-exists') return say('app_key', 'App Key 不存在：请核对开放平台上这个应用的 App Key');
  if (isSessionRefused(err)) {
    return say('session', err.code === '26' ? '缺少授权：请填写卖家授权后得到的 SessionKey' : '授权已过期或无效：请卖家在淘宝重新授权，把新的 SessionKey 填进来保存');
  }
  if (err.rateLimited) return say('rate_limited', '调用太频繁，平台暂时限流：请过一会儿再试');
  if (err.code === '11' || sub.startsWith('isv.permission')) return say('permission', '应用没有调用这个接口的权限：请在开放平台为应用申请相应的权限包');
  if (err.code === '31') return say('clock', '本机时间与平台相差超过 10 分钟：请校准服务器时间后再试');
  if (err.code === '21' || err.code === '22') return say('address', `平台不认识测试用的接口：${apiUrl} 可能不是 TOP 网关地址`);
  return say('platform', `平台拒绝了请求：${err.subMsg ?? err.msg}`);
}
