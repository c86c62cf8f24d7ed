/** For tests: a sandbox platform listening on a free local port, with a TOP client and the typed API pointed at it. */
import { createTaobaoApi, type TaobaoApi } from '../taobao/taobao-api';
import { createTopClient, type TopClient, type TopClientOptions } from '../taobao/top-client';
import { SANDBOX_DEMO_APP_KEY, SANDBOX_DEMO_APP_SECRET, SANDBOX_DEMO_CATALOGUE, SANDBOX_DEMO_SESSION_KEY } from './sandbox-demo-app';
import { createSandboxPlatform, type SandboxPlatform, type SandboxPlatformOptions, type SandboxServer } from './sandbox-platform';

export interface SandboxFixture {
  platform: SandboxPlatform;
  server: SandboxServer;
  client: TopClient;
  api: TaobaoApi;
  /** Another client for the same gateway, e.g. with a wrong secret or a skewed clock. */
  clientWith(overrides: Partial<TopClientOptions>): TopClient;
  close(): Promise<void>;
}

export async function startSandboxFixture(options: Partial<SandboxPlatformOptions> = {}): Promise<SandboxFixture> {
  const platform = createSandboxPlatform({
    apps: [{ appKey: SANDBOX_DEMO_APP_KEY, appSecret: SANDBOX_DEMO_APP_SECRET, sessionKey: SANDBOX_DEMO_SESSION_KEY }],
    catalogue: SANDBOX_DEMO_CATALOGUE,
    ...options,
  });
  const server = await platform.listen(0);
  const clientWith = (overrides: Partial<TopClientOptions>): TopClient =>
    createTopClient({
      url: server.routerUrl,
      appKey: SANDBOX_DEMO_APP_KEY,
      appSecret: SANDBOX_DEMO_APP_SECRET,
      session: SANDBOX_DEMO_SESSION_KEY,
      signMethod: 'hmac-sha256',
      timeoutMs: 5_000,
      // Signed with the platform's clock, so a test that moves that clock is not refused for a stale timestamp.
      ...(options.now ? { now: options.now } : {}),
      ...overrides,
    });
  const client = clientWith({});
  return { platform, server, client, api: createTaobaoApi(client), clientWith, close: () => platform.shutdown() };
}
