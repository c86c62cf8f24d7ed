/**
 * Runs the sandbox Taobao platform as its own process (`npm run sandbox`), configured from the
 * environment; its trades survive a restart when SANDBOX_DATA_FILE is set.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  SANDBOX_DEFAULT_PORT,
  SANDBOX_DEMO_APP_KEY,
  SANDBOX_DEMO_APP_SECRET,
  SANDBOX_DEMO_CATALOGUE,
  SANDBOX_DEMO_SESSION_KEY,
} from './sandbox-demo-app';
import { createSandboxPlatform, type SandboxCatalogueItem } from './sandbox-platform';

const catalogueFile = z.array(
  z.object({
    outerSkuId: z.string().min(1),
    title: z.string().min(1),
    priceFen: z.number().int().positive(),
    props: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
    outerIid: z.string().optional(),
  }),
);

function readCatalogue(file: string | undefined): readonly SandboxCatalogueItem[] {
  if (!file) return SANDBOX_DEMO_CATALOGUE;
  return catalogueFile.parse(JSON.parse(readFileSync(file, 'utf8')));
}

async function main(): Promise<void> {
  const env = process.env;
  const platform = createSandboxPlatform({
    apps: [
      {
        appKey: env.SANDBOX_APP_KEY || SANDBOX_DEMO_APP_KEY,
        appSecret: env.SANDBOX_APP_SECRET || SANDBOX_DEMO_APP_SECRET,
        sessionKey: env.SANDBOX_SESSION_KEY || SANDBOX_DEMO_SESSION_KEY,
      },
    ],
    catalogue: readCatalogue(env.SANDBOX_CATALOGUE_FILE),
    seed: env.SANDBOX_SEED || 1,
    dataFile: env.SANDBOX_DATA_FILE || undefined,
    tradesPerMinute: Number(env.SANDBOX_RATE_PER_MIN || 0),
  });
  const server = await platform.listen(Number(env.SANDBOX_PORT || SANDBOX_DEFAULT_PORT), env.SANDBOX_HOST || '127.0.0.1');
  console.log(`sandbox Taobao platform on ${server.routerUrl} (admin: ${server.url}/admin/health), ${platform.state.trades.length} trades`);
  const stop = (): void => {
    void platform.shutdown().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
