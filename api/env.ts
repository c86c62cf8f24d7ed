/** The typed context every route sees: dependencies, the signed-in user, and the page renderer. */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/orm';
import type { Actor } from '../domain/roles';
import type { User } from '../db/entities';

export interface AppConfig {
  /** Task queue of the main worker; printing runs on `${taskQueue}-print`. */
  taskQueue: string;
  /** Public base URL of the web app, for links in printed or e-mailed documents. */
  baseUrl: string;
  /** Secure cookies (set behind HTTPS in production). */
  secureCookies: boolean;
  sessionHours: number;
  temporalUiUrl: string;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it); used by login rate limiting. */
  trustProxy?: boolean;
}

export interface AppDeps {
  db: Db;
  temporal: Client;
  config: AppConfig;
}

export interface Views {
  /** Renders ui-templates/<name>.hbs inside the layout (full page) or alone (names whose file starts with "_"). */
  page(name: string, data: Record<string, unknown>): string;
  fragment(name: string, data: Record<string, unknown>): string;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** Set by the auth middleware on every route behind sign-in. */
    user: User;
    actor: Actor;
    csrfToken: string;
    /** How the request signed in: a browser session (CSRF-checked) or a Bearer API token under /api/v1. */
    authKind: 'session' | 'token';
    locale: 'zh-CN' | 'en';
    views: Views;
  };
}
