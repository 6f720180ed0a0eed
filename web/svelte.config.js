// SvelteKit as a static single-page app: Hono serves web/build and answers every page path
// with index.html (client-side routing); all data comes from /api.
import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
    // Hono owns the CSP header; it hashes the one inline bootstrap script of index.html.
    output: { preloadStrategy: 'modulepreload' },
    version: { name: 'dashboard' },
    // The one module the dashboard shares with the server: response types and pure helpers
    // (months, sort keys, grades, header matching). Nothing else outside web/ is importable.
    alias: { $contract: '../pipelines/contract' },
  },
};
