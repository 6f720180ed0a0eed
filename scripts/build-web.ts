/**
 * Builds the dashboard (vite build in web/) and checks the bundle budget: the JavaScript a page
 * loads to become usable — SvelteKit's entry, the layout, the page and everything they import,
 * including chunks the page imports lazily at mount (ECharts on chart pages) — must stay under
 * BUDGET_GZIP_BYTES gzipped. Over budget, the build fails.
 *
 *   npm run build:web             build + budget (prints a table)
 *   ensureWebBuild()              used by `npm start` and the browser tests: build only if stale
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));
export const BUILD_DIR = join(WEB_DIR, 'build');
const CONTRACT_DIR = join(WEB_DIR, '..', 'pipelines', 'contract');
const CLIENT_OUT = join(WEB_DIR, '.svelte-kit', 'output', 'client');
export const BUDGET_GZIP_BYTES = 350 * 1024;

/** Newest modification time of the dashboard's sources (and the lock file: dependency upgrades). */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of ['src', 'static', 'svelte.config.js', 'vite.config.ts']) if (existsSync(join(WEB_DIR, p))) visit(join(WEB_DIR, p));
  // The contract module the dashboard imports through the $contract alias is part of its sources.
  if (existsSync(CONTRACT_DIR)) visit(CONTRACT_DIR);
  const lock = join(WEB_DIR, '..', 'package-lock.json');
  if (existsSync(lock)) newest = Math.max(newest, statSync(lock).mtimeMs);
  return newest;
}

export function isStale(): boolean {
  const index = join(BUILD_DIR, 'index.html');
  return !existsSync(index) || statSync(index).mtimeMs < newestSource();
}

export interface PageBudget {
  page: string;
  files: number;
  gzipBytes: number;
  echarts: boolean;
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** Per page: the gzipped JS it needs (static closure of entry + layout + page, plus the page's lazy chunks). */
export function measureBudget(): PageBudget[] {
  const manifest = JSON.parse(readFileSync(join(CLIENT_OUT, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const gz = new Map<string, number>();
  const sizeOf = (file: string) => {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(CLIENT_OUT, file))).length);
    return gz.get(file)!;
  };
  const closure = (keys: string[], lazy: boolean, seen = new Set<string>()) => {
    for (const k of keys) {
      if (seen.has(k) || !manifest[k]) continue;
      seen.add(k);
      closure(manifest[k]!.imports ?? [], lazy, seen);
      if (lazy) closure(manifest[k]!.dynamicImports ?? [], lazy, seen);
    }
    return seen;
  };
  const entries = Object.keys(manifest).filter((k) => /entry\/(start|app)\.[\w-]+\.js$/.test(manifest[k]!.file));
  const nodes = Object.keys(manifest).filter((k) => /nodes\/\d+\.js$/.test(k));
  const layout = nodes.find((k) => /nodes\/0\.js$/.test(k))!;
  // The generated node module names its page component: '…/src/routes/overview/+page.svelte'.
  const routeOf = (k: string) => {
    const generated = join(WEB_DIR, k);
    if (!existsSync(generated)) return null;
    const m = /src\/routes(\/[^'"]*?)?\/\+page\.svelte/.exec(readFileSync(generated, 'utf8'));
    return m ? m[1] || '/' : null;
  };
  const out: PageBudget[] = [];
  for (const node of nodes) {
    if (node === layout) continue;
    const page = routeOf(node);
    if (page === null) continue;
    const base = closure([...entries, layout], false);
    const all = closure([node], true, new Set(base));
    const files = [...all].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
    out.push({
      page,
      files: files.length,
      gzipBytes: files.reduce((s, f) => s + sizeOf(f), 0),
      echarts: files.some((f) => readFileSync(join(CLIENT_OUT, f), 'utf8').includes('echarts')),
    });
  }
  return out.sort((a, b) => a.page.localeCompare(b.page));
}

export function buildWeb(): PageBudget[] {
  const vite = join(WEB_DIR, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`dashboard build failed (vite build exited ${r.status})`);
  const pages = measureBudget();
  const over = pages.filter((p) => p.gzipBytes > BUDGET_GZIP_BYTES);
  if (over.length) {
    throw new Error(`bundle budget exceeded (${BUDGET_GZIP_BYTES / 1024} KB gzipped): ${over.map((p) => `${p.page} ${(p.gzipBytes / 1024).toFixed(1)} KB`).join(', ')}`);
  }
  return pages;
}

export function printBudget(pages: PageBudget[]): void {
  console.log(`page JS (gzipped, incl. lazy chunks) — budget ${BUDGET_GZIP_BYTES / 1024} KB`);
  for (const p of pages) console.log(`  ${p.page.padEnd(14)} ${(p.gzipBytes / 1024).toFixed(1).padStart(7)} KB  ${String(p.files).padStart(3)} files${p.echarts ? '  (ECharts)' : ''}`);
}

/** Builds only when the build is missing or older than a source file. */
export function ensureWebBuild(log: (s: string) => void = console.log): void {
  if (!isStale()) return;
  withBuildLock(() => {
    if (!isStale()) return; // another process built it while we waited
    log('building the dashboard (web/) …');
    const t0 = Date.now();
    const pages = buildWeb();
    log(`dashboard built in ${((Date.now() - t0) / 1000).toFixed(1)} s; largest page ${(Math.max(...pages.map((p) => p.gzipBytes)) / 1024).toFixed(1)} KB gzipped`);
  });
}

/** One build at a time across processes (a directory is created atomically); a lock older than 3 min is stale. */
function withBuildLock(fn: () => void): void {
  const lock = join(WEB_DIR, '.build-lock');
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 5 min for ${lock}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  withBuildLock(() => printBudget(buildWeb()));
}
