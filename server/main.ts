/**
 * The server process (`npm start`, through scripts/start.ts): opens the warehouse at the configured
 * path, loads demo data into an empty warehouse, creates the first users, and serves the API and the
 * dashboard on the configured port. SIGINT/SIGTERM: stop accepting, cancel running queries (an
 * ingest rolls back), let open requests finish, close the warehouse (which checkpoints it), exit —
 * within SHUTDOWN_DEADLINE_MS whatever happens. The configuration comes from server/config.ts.
 */
import { serve } from '@hono/node-server';
import { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { ensureDemoData } from '../pipelines/demo.ts';
import { sweepLeftovers } from '../pipelines/ingest/sweep.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { checkAdminPassword, ensureInitialUsers } from './users.ts';

export async function runServer(config: Config, log: (m: string) => void = console.log): Promise<void> {
  checkAdminPassword(config.adminPassword); // a ConfigError before anything is opened or loaded
  const wh = await Warehouse.open(config.dbPath);
  const swept = await sweepLeftovers(wh);
  if (swept.uploads + swept.tmp + swept.archive > 0) {
    log(`removed files an interrupted run left behind: ${swept.uploads} upload(s), ${swept.tmp} temporary, ${swept.archive} archived original(s) of uncommitted batches`);
  }
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
    // Whatever happens below, the process is gone within the deadline: the OS then releases the
    // warehouse file, and DuckDB's write-ahead log keeps every committed batch and nothing else.
    const hard = setTimeout(() => {
      log(`not stopped within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting without closing the warehouse (committed data is safe in its log)`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    hard.unref();
    // A running ingest or refresh would keep the database busy for minutes: cancel it now (its
    // transaction rolls back, the upload answers 503), then let the other requests finish.
    wh.interruptAll();
    const force = setTimeout(() => {
      log('open requests did not finish within 3 s; closing their connections');
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }, 3_000);
    force.unref();
    server.close(() => {
      try {
        wh.close();
        log('stopped');
      } finally {
        process.exit(0);
      }
    });
  }
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** From the signal to the process's exit, whatever is running (issue 11: within 10 s). */
export const SHUTDOWN_DEADLINE_MS = 8_000;
