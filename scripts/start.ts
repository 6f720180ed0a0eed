/**
 * `npm start`: builds the dashboard when its build is missing or older than its sources, then
 * runs the server process (server/main.ts). Whole-app tooling lives here, not in web/ or server/,
 * so the server never imports the dashboard's build.
 */
import { ensureWebBuild } from './build-web.ts';

if (process.env.SKIP_WEB_BUILD !== '1') ensureWebBuild((m) => console.log(m));
await import('../server/main.ts');
