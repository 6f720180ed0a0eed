/** server/config.ts: the environment read once, with defaults and a clear refusal of malformed values. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DB_PATH } from '../../pipelines/warehouse/warehouse.ts';
import { chromiumPath, ConfigError, DEFAULT_LIMITS, loadConfig } from '../../server/config.ts';

describe('loadConfig', () => {
  it('an empty environment gives the defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080, dbPath: DEFAULT_DB_PATH, adminPassword: undefined, responseCache: true,
      limits: DEFAULT_LIMITS, trustProxy: false, cookieSecure: 'auto', skipWebBuild: false,
    });
  });

  it('reads every variable', () => {
    expect(loadConfig({
      PORT: '9090', DB_PATH: '/tmp/w.duckdb', ADMIN_PASSWORD: ' secret ', RESPONSE_CACHE: '0', UPLOAD_MAX_BYTES: '2000',
      EXPORT_MAX_ROWS: '10', TRUST_PROXY: '1', COOKIE_SECURE: '1', SKIP_WEB_BUILD: '1',
      UPLOAD_MAX_SECONDS: '60', UPLOAD_IDLE_SECONDS: '5', UPLOADS_AT_ONCE: '2',
    })).toEqual({
      port: 9090, dbPath: '/tmp/w.duckdb', adminPassword: ' secret ', responseCache: false,
      limits: { uploadMaxBytes: 2000, exportMaxRows: 10, uploadMaxSeconds: 60, uploadIdleSeconds: 5, uploadsAtOnce: 2 }, trustProxy: true, cookieSecure: true, skipWebBuild: true,
    });
  });

  it('an empty value counts as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_PASSWORD: '', TRUST_PROXY: '' })).toMatchObject({ port: 8080, adminPassword: undefined, trustProxy: false });
  });

  it.each([
    ['PORT', '0', /PORT must be a TCP port/],
    ['PORT', '70000', /PORT must be a TCP port/],
    ['PORT', 'http', /PORT must be a TCP port.*"http"/],
    ['UPLOAD_MAX_BYTES', '2e6', /UPLOAD_MAX_BYTES must be a number of bytes/],
    ['EXPORT_MAX_ROWS', '-1', /EXPORT_MAX_ROWS must be a number of rows/],
    ['TRUST_PROXY', 'yes', /TRUST_PROXY must be 1 \(on\) or 0 \(off\); got "yes"/],
    ['RESPONSE_CACHE', 'off', /RESPONSE_CACHE must be 1/],
    ['UPLOAD_IDLE_SECONDS', '0', /UPLOAD_IDLE_SECONDS must be a number of seconds/],
    ['UPLOADS_AT_ONCE', '65', /UPLOADS_AT_ONCE must be a number of uploads, a whole number from 1 to 64/],
  ])('%s=%s is refused, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('chromiumPath: CHROMIUM_PATH, else Debian\'s', () => {
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chrome' })).toBe('/opt/chrome');
  });
});
