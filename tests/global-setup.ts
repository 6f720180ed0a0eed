// Builds the dashboard once before any test file runs (browser tests run in parallel workers and
// must not race to build web/build). No-op when the build is newer than every source.
import { ensureWebBuild } from '../web/scripts/build.ts';

export default function setup(): void {
  ensureWebBuild();
}
