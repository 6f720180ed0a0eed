/**
 * The server process (`npm start`, through scripts/start.ts): opens the warehouse at the configured
 * path, loads demo data into an empty warehouse, creates the first users, and serves the API and the
 * dashboard on the configured port. SIGINT/SIGTERM: stop accepting, finish open requests, close the
 * warehouse (which checkpoints it), exit. The configuration comes from server/config.ts.
 */
import { serve } from '@hono/node-server';
import { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { ensureDemoData } from '../pipelines/demo.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { checkAdminPassword, ensureInitialUsers } from './users.ts';

export async function runServer(config: Config, log: (m: string) => void = console.log): Promise<void> {
  checkAdminPassword(config.adminPassword); // a ConfigError before anything is opened or loaded
  const wh = await Warehouse.open(config.dbPath);
  await ensureDemoData(wh, { log });
  const users = await ensureInitialUsers(wh, { adminPassword: config.adminPassword });
  if (users.created.length) {
    log(`created users: ${users.created.map((u) => `${u.username} (${u.role}${u.team_id ? ` ${u.team_id}` : ''})`).join(', ')}`);
    log(users.generatedPassword
      ? `their password (shown once, change it): ${users.generatedPassword}`
      : 'their password is ADMIN_PASSWORD');
  }

  // This process owns the warehouse file, so every write goes through the app: answers can be kept.
  const app = createApp({
    wh,
    responseCache: config.responseCache,
    limits: config.limits,
    trustProxy: config.trustProxy,
    cookieSecure: config.cookieSecure,
  });
  const server = serve({ fetch: app.fetch, port: config.port }, (info) => log(`serving on http://localhost:${info.port} (warehouse ${wh.path})`));

  let stopping = false;
  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down …`);
    const force = setTimeout(() => {
      log('open requests did not finish within 10 s; closing anyway');
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, 10_000);
    force.unref();
    server.close(() => {
      try {
        wh.close();
      } finally {
        log('stopped');
        process.exit(0);
      }
    });
  }
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
