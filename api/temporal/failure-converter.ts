/**
 * The failure converter of every Guanjia client, worker and workflow bundle: a failure's message and stack trace go
 * into its encoded attributes, a payload the codec encrypts, so a platform or courier error that quotes a buyer's
 * phone or address is not stored in clear in Temporal's history. Failures recorded before this decode as they were.
 * Loaded by path (DataConverter.failureConverterPath) both in Node and inside the workflow sandbox: no other imports.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
