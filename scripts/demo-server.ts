/**
 * The dashboard on a fresh demo warehouse (what `npm start` shows a newcomer), in this process on a
 * random loopback port, for the screenshot script and bench:web. Builds web/ when stale.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { ensureDemoData } from '../pipelines/demo.ts';
import { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { createApp } from '../server/app.ts';
import { ensureInitialUsers } from '../server/users.ts';
import { ensureWebBuild } from './build-web.ts';

export const DEMO_PASSWORD = 'demo-password-2026';

export interface DemoServer {
  baseUrl: string;
  wh: Warehouse;
  close(): Promise<void>;
}

export async function startDemoServer(log: (s: string) => void = console.log): Promise<DemoServer> {
  ensureWebBuild(log);
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-demo-server-'));
  const wh = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  await ensureDemoData(wh, { log });
  await ensureInitialUsers(wh, { adminPassword: DEMO_PASSWORD });
  const app = createApp({ wh, responseCache: true }); // as npm start
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    wh,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
