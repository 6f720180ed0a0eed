/**
 * `npm start`: reads the configuration once (server/config.ts), builds the dashboard when its build
 * is missing or older than its sources (unless SKIP_WEB_BUILD=1), then runs the server process
 * (server/main.ts). Whole-app tooling lives here, not in web/ or server/, so the server never
 * imports the dashboard's build.
 */
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { runServer } from '../server/main.ts';
import { checkAdminPassword } from '../server/users.ts';
import { ensureWebBuild } from './build-web.ts';

let config: Config;
try {
  config = loadConfig();
  checkAdminPassword(config.adminPassword);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`configuration: ${err.message}`);
  process.exit(2);
}
if (!config.skipWebBuild) ensureWebBuild((m) => console.log(m));
try {
  await runServer(config);
} catch (err) {
  // A configuration problem found while starting (a weak ADMIN_PASSWORD): one line, exit code 2.
  if (!(err instanceof ConfigError)) throw err;
  console.error(`configuration: ${err.message}`);
  process.exit(2);
}
