/**
 * A failed TOP call, sorted into what a retry can fix (isp.* system faults, rate limits, HTTP 5xx,
 * timeouts) and what it cannot (isv.* business refusals, bad signature, bad arguments).
 */
/** The body TOP sends for every failure, with HTTP 200. */
export interface TopErrorBody {
  code: number | string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  request_id?: string;
}

export interface TopErrorInit {
  /** TOP's numeric code as a string (the SDKs keep it a string), or `transport` when no TOP answer came. */
  code: string;
  msg: string;
  subCode?: string;
  subMsg?: string;
  requestId?: string;
  method?: string;
  httpStatus?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Code 7 is the call limit; 10 is "service currently unavailable". */
const RATE_LIMIT_CODE = '7';
const UNAVAILABLE_CODE = '10';
/** The sandbox's sub_code and the real gateway's `accesscontrol.limited-by-*` family. */
const RATE_LIMIT = /^(isv\.call-limited|accesscontrol\.limited-by-)/;
const BAN_SECONDS = /(\d+)\s*more seconds/i;
const DEFAULT_BACKOFF_MS = 1_000;

export class TopError extends Error {
  override readonly name = 'TopError';
  readonly code: string;
  readonly msg: string;
  readonly subCode: string | undefined;
  readonly subMsg: string | undefined;
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;
  readonly rateLimited: boolean;
  /** How long to wait before retrying; set on rate limits, read from the gateway's "ban will last" text. */
  readonly retryAfterMs: number | undefined;

  constructor(init: TopErrorInit) {
    const detail = init.subMsg ?? init.msg;
    super(`${init.method ? `${init.method}: ` : ''}${detail} (${init.subCode ?? init.code})`, { cause: init.cause });
    this.code = init.code;
    this.msg = init.msg;
    this.subCode = init.subCode;
    this.subMsg = init.subMsg;
    this.requestId = init.requestId;
    this.method = init.method;
    this.httpStatus = init.httpStatus;
    this.rateLimited = init.code === RATE_LIMIT_CODE || RATE_LIMIT.test(init.subCode ?? '');
    this.retryable =
      init.retryable ?? (this.rateLimited || init.code === UNAVAILABLE_CODE || (init.subCode ?? '').startsWith('isp.'));
    this.retryAfterMs = init.retryAfterMs ?? (this.rateLimited ? banMs(init.subMsg ?? init.msg) : undefined);
  }

  /** Reads the gateway's `error_response` body. */
  static fromBody(body: TopErrorBody, method?: string): TopError {
    return new TopError({
      code: String(body.code),
      msg: body.msg ?? 'Unknown error',
      subCode: body.sub_code || undefined,
      subMsg: body.sub_msg || undefined,
      requestId: body.request_id,
      method,
    });
  }

  /** The gateway's wire form, as the sandbox answers it. */
  toBody(requestId: string): { error_response: TopErrorBody } {
    const code = Number(this.code);
    return {
      error_response: {
        code: Number.isFinite(code) ? code : this.code,
        msg: this.msg,
        ...(this.subCode ? { sub_code: this.subCode } : {}),
        ...(this.subMsg ? { sub_msg: this.subMsg } : {}),
        request_id: requestId,
      },
    };
  }
}

function banMs(text: string): number {
  const seconds = BAN_SECONDS.exec(text)?.[1];
  return seconds ? Math.max(Number(seconds), 1) * 1_000 : DEFAULT_BACKOFF_MS;
}
