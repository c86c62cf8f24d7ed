/**
 * The sandbox's /router/rest: checks a request the way the TOP gateway does (app key, method, timestamp
 * within ten minutes, version, signature, limits, session) before the method runs, and answers in
 * TOP's JSON, success under `<method>_response` and failure under `error_response`, both with HTTP 200.
 */
import { randomBytes } from 'node:crypto';
import { taobaoTimeToIso } from '../../domain/taobao';
import { isTopSignMethod } from '../../domain/taobao';
import { signTopRequest } from '../taobao/sign';
import { TopError } from '../taobao/top-error';
import { topResponseKey } from '../taobao/top-response-key';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import type { SandboxFaults } from './sandbox-faults';
import type { SeededRandom } from './seeded-random';
import { topFailure } from './top-failure';
import { topParamReader, type TopParamReader } from './top-param-reader';

export interface SandboxApp {
  appKey: string;
  appSecret: string;
  /** When set, calls must carry exactly this session; otherwise any non-empty session is accepted. */
  sessionKey?: string;
}

/** A TOP method: reads its parameters, returns the body placed under `<method>_response`. */
export type TopMethodHandler = (params: TopParamReader) => Record<string, unknown>;

export interface TopGatewayOptions {
  apps: readonly SandboxApp[];
  methods: Readonly<Record<string, TopMethodHandler>>;
  /** Read on every call; the gateway counts failNextCalls down itself. */
  faults: SandboxFaults;
  faultRng: SeededRandom;
  now: () => Date;
  /** Runs before each method, after the checks: the platform's clock-driven changes (payments). */
  beforeMethod: () => void;
}

/** What the gateway answers; `lost` means the method took effect but the caller must get no answer. */
export interface TopAnswer {
  body: Record<string, unknown>;
  lost: boolean;
}

export interface TopGateway {
  handle(params: Readonly<Record<string, string>>): Promise<TopAnswer>;
  /** Calls that took effect and lost their answer since start: proof a drill's fault really fired. */
  readonly answersLost: number;
}

const TIMESTAMP_TOLERANCE_MS = 10 * 60_000;

export function createTopGateway(options: TopGatewayOptions): TopGateway {
  let answersLost = 0;

  function check(params: Readonly<Record<string, string>>): { method: string; handler: TopMethodHandler; faulty: boolean } {
    const appKey = params.app_key;
    if (!appKey) throw topFailure.protocol(28);
    const app = options.apps.find((a) => a.appKey === appKey);
    if (!app) throw topFailure.protocol(29, 'isv.appkey-not-exists', `app_key ${appKey} 不存在`);
    const method = params.method;
    if (!method) throw topFailure.protocol(21);
    const handler = options.methods[method];
    if (!handler) throw topFailure.protocol(22, 'isv.method-not-exists', `方法 ${method} 不存在`);

    const timestamp = params.timestamp;
    if (!timestamp) throw topFailure.protocol(30);
    const sentAt = parseTimestamp(timestamp);
    if (sentAt === undefined || Math.abs(sentAt - options.now().getTime()) > TIMESTAMP_TOLERANCE_MS) {
      throw topFailure.protocol(31, 'isv.invalid-timestamp', `时间戳 ${timestamp} 与平台时间相差超过 10 分钟`);
    }
    if (!params.v) throw topFailure.protocol(32);
    if (params.v !== '2.0') throw topFailure.protocol(34, 'isv.unsupported-version', `不支持的版本 ${params.v}`);
    if (params.format && params.format !== 'json') {
      throw topFailure.protocol(23, 'isv.invalid-format', '沙盒平台只返回 JSON (format=json)');
    }
    const signMethod = params.sign_method || 'md5';
    if (!isTopSignMethod(signMethod)) {
      throw topFailure.protocol(25, 'isv.invalid-signature', `不支持的签名方法 ${signMethod}`);
    }
    if (!params.sign) throw topFailure.protocol(24);
    if (params.sign.toUpperCase() !== signTopRequest(params, app.appSecret, signMethod)) {
      throw topFailure.protocol(25, 'isv.invalid-signature', '签名错误');
    }

    const faults = options.faults;
    const faulty = faults.methods === null || faults.methods.includes(method);
    if (faulty && faults.rateLimit) {
      throw topFailure.protocol(7, TOP_SUB_CODES.callLimited, 'App call limited. This ban will last for 1 more seconds');
    }
    if (!params.session) throw topFailure.protocol(26);
    if (app.sessionKey !== undefined && params.session !== app.sessionKey) {
      throw topFailure.protocol(27, 'invalid-sessionkey', 'session 无效或已过期');
    }
    if (faulty && faults.failNextCalls > 0) {
      faults.failNextCalls -= 1;
      throw topFailure.remote(TOP_SUB_CODES.remoteServiceError, '服务暂时不可用，请稍后重试');
    }
    if (faulty && faults.errorRate > 0 && options.faultRng.next() < faults.errorRate) {
      throw topFailure.remote(TOP_SUB_CODES.remoteServiceError, '服务暂时不可用，请稍后重试');
    }
    return { method, handler, faulty };
  }

  /** Decided after the method ran, so only a call that changed the platform loses its answer. */
  function loseAnswer(faulty: boolean): boolean {
    const faults = options.faults;
    if (!faulty) return false;
    if (faults.loseNextAnswers > 0) {
      faults.loseNextAnswers -= 1;
      return true;
    }
    return faults.answerLostRate > 0 && options.faultRng.next() < faults.answerLostRate;
  }

  return {
    get answersLost() {
      return answersLost;
    },
    async handle(params) {
      const requestId = randomBytes(6).toString('hex');
      const latencyMs = options.faults.latencyMs;
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      try {
        const { method, handler, faulty } = check(params);
        options.beforeMethod();
        const body = handler(topParamReader(params));
        const lost = loseAnswer(faulty);
        if (lost) answersLost += 1;
        return { body: { [topResponseKey(method)]: { ...body, request_id: requestId } }, lost };
      } catch (err) {
        if (err instanceof TopError) return { body: err.toBody(requestId), lost: false };
        console.error('sandbox: method failed', err);
        return { body: topFailure.remote('isp.unknown-error', String(err)).toBody(requestId), lost: false };
      }
    },
  };
}

/** TOP takes "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai, and also epoch milliseconds. */
function parseTimestamp(text: string): number | undefined {
  if (/^\d{13}$/.test(text)) return Number(text);
  try {
    return new Date(taobaoTimeToIso(text)).getTime();
  } catch {
    return undefined;
  }
}
