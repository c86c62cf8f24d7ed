/** Serves the page's CSS, JS and htmx from memory under content-hashed URLs, so browsers may cache them for a year. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from './env';

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
  etag: string;
}

const STATIC_DIR = path.resolve(__dirname, 'assets');

const SOURCES: Record<string, { file: string; type: string }> = {
  'app.css': { file: path.join(STATIC_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { file: path.join(STATIC_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
};

const ASSETS = new Map<string, Asset>();
for (const [name, src] of Object.entries(SOURCES)) {
  const body = fs.readFileSync(src.file);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  ASSETS.set(name, { body, type: src.type, etag: `"${hash}"`, hash });
}

const versioned = (name: string): string => `/assets/${name}?v=${ASSETS.get(name)?.hash ?? ''}`;

export const assetUrls = { css: versioned('app.css'), js: versioned('app.js'), htmx: versioned('htmx.min.js') };

export const assetRoutes = new Hono<AppEnv>().get('/:name', (c) => {
  const asset = ASSETS.get(c.req.param('name'));
  if (!asset) return c.text('Not found', 404);
  // The hashed query string changes with the content, so a cached copy can never be stale.
  const headers = { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: asset.etag };
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
  return c.body(new Uint8Array(asset.body), 200, headers);
});
