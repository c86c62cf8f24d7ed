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

/** What went wrong, for callers that answer differently (the JSON API's status codes); pages only show the message. */
export type WorkflowErrorKind = 'refused' | 'not_found' | 'timeout' | 'unavailable' | 'failed';

function grpcCode(err: unknown): number | undefined {
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

export function workflowErrorKind(err: unknown): WorkflowErrorKind {
  // A validator's refusal (wrong state, stale version, not permitted) arrives as the update's cause, in zh-CN.
  if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError) return 'refused';
  if (err instanceof WorkflowNotFoundError) return 'not_found';
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) return 'timeout';
  if (grpcCode(err) === UNAVAILABLE || (err instanceof ServiceError && /connect|UNAVAILABLE/i.test(String(err.cause ?? err.message)))) {
    return 'unavailable';
  }
  return 'failed';
}

export function workflowErrorMessage(err: unknown, locale: Locale): string {
  switch (workflowErrorKind(err)) {
    case 'refused': {
      const e = err as WorkflowUpdateFailedError | WorkflowFailedError;
      return e.cause?.message || e.message;
    }
    case 'not_found':
      return translate(locale, 'wf.notFound');
    case 'timeout':
      return translate(locale, 'wf.timeout');
    case 'unavailable':
      return translate(locale, 'wf.unavailable');
    default:
      return translate(locale, 'wf.failed', { message: err instanceof Error ? err.message : String(err) });
  }
}
