/** The trouble a test or demo can switch on, so retries, backoff and the shipment-sync queue are seen to work. */

export interface SandboxFaults {
  /** Share of calls (0..1) answered with code 15 / isp.remote-service-error. */
  errorRate: number;
  /** The next N calls fail like errorRate does: the deterministic way to test one retry. */
  failNextCalls: number;
  /** Delay before every answer; past the client's timeout it becomes a timeout. */
  latencyMs: number;
  /** true: HTTP 503 from /router/rest; 'reset': the connection is dropped without an answer. */
  outage: boolean | 'reset';
  /** Every call is refused with code 7 / isv.call-limited. */
  rateLimit: boolean;
  /**
   * Share of calls (0..1) that take effect on the platform (state changed and saved) and then lose
   * their answer: the connection drops as with outage 'reset', so the caller cannot tell it worked.
   */
  answerLostRate: number;
  /** The next N calls that take effect lose their answer: the deterministic form of answerLostRate. */
  loseNextAnswers: number;
  /** Restricts errorRate, failNextCalls, rateLimit, answerLostRate and loseNextAnswers to these TOP methods; null = all. */
  methods: string[] | null;
}

export const NO_FAULTS: Readonly<SandboxFaults> = {
  errorRate: 0,
  failNextCalls: 0,
  latencyMs: 0,
  outage: false,
  rateLimit: false,
  answerLostRate: 0,
  loseNextAnswers: 0,
  methods: null,
};
