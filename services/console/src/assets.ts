// The console's scripts and styles, and the chart library from its npm package: all served by the console
// itself (read once at start), so the screens work on a network without internet.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  contentType: string;
  body: Buffer;
}

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const UPLOT_DIST = join(dirname(createRequire(import.meta.url).resolve('uplot')), '.');

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

function file(path: string): Asset {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return { contentType: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(path) };
}

/** URL path under /assets → file. */
export function loadAssets(): Map<string, Asset> {
  return new Map([
    ['app.css', file(join(PUBLIC_DIR, 'app.css'))],
    ['app.js', file(join(PUBLIC_DIR, 'app.js'))],
    ['dashboard.js', file(join(PUBLIC_DIR, 'dashboard.js'))],
    ['vendor/uPlot.iife.min.js', file(join(UPLOT_DIST, 'uPlot.iife.min.js'))],
    ['vendor/uPlot.min.css', file(join(UPLOT_DIST, 'uPlot.min.css'))],
  ]);
}
