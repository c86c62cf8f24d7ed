/** Reads a submitted form through a zod schema, turning the first problem into a sentence in the user's language. */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from './env';
import { hasMessage } from './i18n/translate';
import { t } from './render';

export type FormResult<T> = { ok: true; data: T } | { ok: false; message: string };

/** Zod messages in schemas are catalogue keys ('error.passwordTooShort'); anything else is shown with its field's name. */
export function describeIssue(c: Context<AppEnv>, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return t(c, 'error.badInput');
  if (hasMessage(issue.message)) return t(c, issue.message);
  const field = issue.path.join('.');
  return t(c, 'error.badField', { field: hasMessage(`field.${field}`) ? t(c, `field.${field}`) : field, detail: issue.message });
}

export async function readForm<S extends z.ZodType>(c: Context<AppEnv>, schema: S): Promise<FormResult<z.output<S>>> {
  const body = await c.req.parseBody({ all: true });
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, message: describeIssue(c, parsed.error) };
}

export function readQuery<S extends z.ZodType>(c: Context<AppEnv>, schema: S): FormResult<z.output<S>> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, message: describeIssue(c, parsed.error) };
}

/** A form value that may come once (a string) or many times (an array) as a list of strings. */
export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
