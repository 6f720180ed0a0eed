/**
 * What `npm test` needs beyond npm packages: Debian's Chromium (browser tests drive it through
 * playwright-core; nothing downloads a browser) and CJK fonts (pages are in Chinese; without them
 * screenshots show boxes). Called once by the test run's global setup, so the README's two commands
 * are the whole set-up on a fresh Debian machine: as root with apt-get, the missing packages are
 * installed; otherwise one line says what to install, and the browser tests fail with the same words.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from '../server/config.ts';

export const CHROMIUM_PATH = chromiumPath();
export const BROWSER_PACKAGES = ['chromium', 'fonts-noto-cjk'] as const;
export const INSTALL_HINT = `browser tests need Debian's ${BROWSER_PACKAGES.join(' and ')}: run "apt-get install -y ${BROWSER_PACKAGES.join(' ')}" as root`;

const run = (cmd: string, args: string[], inherit = false) =>
  spawnSync(cmd, args, { stdio: inherit ? 'inherit' : 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

const hasDpkg = () => existsSync('/usr/bin/dpkg');

/** Debian packages of BROWSER_PACKAGES that are not installed (Chromium: also not at CHROMIUM_PATH). */
export function missingBrowserPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  if (hasDpkg()) {
    // `dpkg -s` succeeds for a removed package whose config files remain: ask for its state.
    const state = spawnSync('dpkg-query', ['-W', '-f=${Status}', 'fonts-noto-cjk'], { encoding: 'utf8' }).stdout ?? '';
    if (!state.endsWith('install ok installed')) missing.push('fonts-noto-cjk');
  } else if ((spawnSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8' }).stdout ?? '').trim() === '') {
    missing.push('fonts-noto-cjk');
  }
  return missing;
}

/**
 * Installs what is missing when this process may (root, apt-get present); returns what is still
 * missing afterwards. Never throws: a failed install leaves the browser tests to fail with INSTALL_HINT.
 */
export function ensureBrowserPackages(log: (m: string) => void = (m) => console.log(m)): string[] {
  let missing = missingBrowserPackages();
  if (missing.length === 0) return missing;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    log(`note: ${INSTALL_HINT} (missing: ${missing.join(', ')})`);
    return missing;
  }
  log(`installing ${missing.join(', ')} from Debian for the browser tests (once) …`);
  const update = run('apt-get', ['update', '-qq'], true);
  const install = update.status === 0 ? run('apt-get', ['install', '-y', '-qq', ...missing], true) : update;
  missing = missingBrowserPackages();
  if (install.status !== 0 || missing.length) log(`note: the install did not finish; ${INSTALL_HINT}`);
  return missing;
}
