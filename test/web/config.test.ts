import { ConfigError, loadConfig } from '../../api/config';

describe('web configuration', () => {
  it('runs with no settings at all on the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, temporalAddress: '127.0.0.1:7233', temporalNamespace: 'default' });
    expect(c.app).toMatchObject({ taskQueue: 'guanjia', sessionHours: 12, secureCookies: false, temporalUiUrl: 'http://127.0.0.1:8233' });
  });

  it('turns on Secure cookies for an https base URL unless told otherwise', () => {
    expect(loadConfig({ BASE_URL: 'https://shop.example.com' }).app.secureCookies).toBe(true);
    expect(loadConfig({ BASE_URL: 'https://shop.example.com', SECURE_COOKIES: 'false' }).app.secureCookies).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT="abc" must be a whole number'],
    [{ PORT: '70000' }, 'PORT=70000 must be between 1 and 65535'],
    [{ SESSION_HOURS: '0' }, 'SESSION_HOURS=0 must be between'],
    [{ SECURE_COOKIES: 'maybe' }, 'SECURE_COOKIES="maybe" must be true or false'],
    [{ BASE_URL: 'shop.example.com' }, 'BASE_URL="shop.example.com" must be an http:// or https:// URL'],
    [{ TEMPORAL_ADDRESS: 'localhost' }, 'TEMPORAL_ADDRESS="localhost" must be host:port'],
  ])('names the variable and the fix for %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
