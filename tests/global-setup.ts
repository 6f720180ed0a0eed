// Once before any test file runs: bring Debian's Chromium and CJK fonts when they are missing (a
// fresh machine's `npm test` needs nothing else), then build the dashboard (browser tests run in
// parallel workers and must not race to build web/build; no-op when the build is newer than every
// source).
import { ensureWebBuild } from '../scripts/build-web.ts';
import { ensureBrowserPackages } from '../scripts/test-prerequisites.ts';

export default function setup(): void {
  ensureBrowserPackages();
  ensureWebBuild();
}
