// A client-only single-page app: Hono answers every page path with index.html.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
