/** The web app of a test stack on a real 127.0.0.1 port, so a browser can sign in, click and download as a person does. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createApp } from '../../api/app';
import type { Stack } from './stack';

export interface WebServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * `taskQueue`: where the app starts workflows, when a suite runs its own workers there (default: the stack's).
 * `temporalUiUrl`: a Temporal UI of the suite's own, whose origin may call the codec endpoint.
 */
export async function startWebServer(stack: Stack, taskQueue = stack.taskQueue, temporalUiUrl = 'http://127.0.0.1:8233'): Promise<WebServer> {
  const server = createAdaptorServer({ fetch: (req) => app.fetch(req), hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The app needs its own URL (printed documents link back to it), which is known only once the port is.
  const app = createApp({
    db: stack.db,
    temporal: stack.client,
    config: { taskQueue, baseUrl: url, secureCookies: false, sessionHours: 12, temporalUiUrl },
  });
  let closed = false;
  return {
    url,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser's keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
