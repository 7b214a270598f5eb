import { Router, static as serveStatic } from 'express';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'clients', 'signage');

/**
 * The sign page at /signage/ (?sign=ID#token=...) and its script: clients/signage/main.ts
 * bundled with core/multi by esbuild (present as a dependency of tsx) on first request and kept
 * in memory, so the page renders with exactly the server's renderer.
 */
export function createSignageStaticRouter(): Router {
  const router = Router();
  let bundle: Promise<string> | undefined;
  router.get('/signage/sign.js', async (_req, res) => {
    bundle ??= buildSignBundle().catch((e) => {
      bundle = undefined;
      throw e;
    });
    res.type('text/javascript').set('cache-control', 'no-cache').send(await bundle);
  });
  // the page loads ./sign.js relative to itself: keep the trailing slash (and the query)
  router.get('/signage', (req, res, next) => {
    const q = req.originalUrl.indexOf('?');
    if ((q >= 0 ? req.originalUrl.slice(0, q) : req.originalUrl).endsWith('/')) return next();
    res.redirect(301, `/signage/${q >= 0 ? req.originalUrl.slice(q) : ''}`);
  });
  router.use('/signage', serveStatic(clientDir, { index: 'index.html', extensions: ['html'], dotfiles: 'ignore' }));
  return router;
}

export async function buildSignBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(clientDir, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}
