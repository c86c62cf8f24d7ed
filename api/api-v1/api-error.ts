/** The one error body of the JSON API, `{ error: { code, message } }`: a stable code for programs and a sentence for people. */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { WorkflowErrorKind } from '../workflow-error';

export const API_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'refused',
  'pdf_not_ready',
  'payload_too_large',
  'too_many_requests',
  'unsupported_media_type',
  'internal',
  'workflow_failed',
  'workflow_unavailable',
  'workflow_timeout',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export function apiErrorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

const BY_STATUS: Partial<Record<number, ApiErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'refused',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  502: 'workflow_failed',
  503: 'workflow_unavailable',
  504: 'workflow_timeout',
};

export function errorCodeForStatus(status: number): ApiErrorCode {
  return BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** How a failed workflow call is answered: the workflow's own no is a conflict, the rest say what broke. */
export const WORKFLOW_FAILURE = {
  refused: { status: 409, code: 'refused' },
  not_found: { status: 404, code: 'not_found' },
  timeout: { status: 504, code: 'workflow_timeout' },
  unavailable: { status: 503, code: 'workflow_unavailable' },
  failed: { status: 502, code: 'workflow_failed' },
} as const satisfies Record<WorkflowErrorKind, { status: ContentfulStatusCode; code: ApiErrorCode }>;
