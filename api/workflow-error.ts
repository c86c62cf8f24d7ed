/** Turns what the Temporal client throws into the sentence staff see: the workflow's own reason when it gave one. */
import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { translate, type Locale } from './i18n/translate';

const UNAVAILABLE = 14;

function grpcCode(err: unknown): number | undefined {
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

export function workflowErrorMessage(err: unknown, locale: Locale): string {
  // A validator's refusal (wrong state, stale version, not permitted) arrives as the update's cause, in zh-CN.
  if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError) {
    return err.cause?.message || err.message;
  }
  if (err instanceof WorkflowNotFoundError) return translate(locale, 'wf.notFound');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return translate(locale, 'wf.timeout');
  if (grpcCode(err) === UNAVAILABLE || (err instanceof ServiceError && /connect|UNAVAILABLE/i.test(String(err.cause ?? err.message)))) {
    return translate(locale, 'wf.unavailable');
  }
  return translate(locale, 'wf.failed', { message: err instanceof Error ? err.message : String(err) });
}

