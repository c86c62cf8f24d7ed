/** A fresh id for each rendered form: it becomes the Temporal updateId, so submitting the same form twice is applied once. */
import { randomUUID } from 'node:crypto';

export function newActionId(): string {
  return randomUUID();
}

export const actionIdPattern = /^[A-Za-z0-9-]{8,64}$/;
