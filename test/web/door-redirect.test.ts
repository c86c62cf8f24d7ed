import { localPath } from '../../api/routes/session-routes';
import { PASSWORD, startWebFixture, type WebFixture } from './web-fixture';

let web: WebFixture;
beforeAll(async () => {
  web = await startWebFixture();
});
afterAll(() => web.close());

/**
 * Ways of writing "another site" that browsers or proxies turn into one: control characters browsers strip, backslashes
 * they read as slashes, scheme-relative and absolute URLs, and the same again percent-encoded once and twice.
 */
const TRICKS = [
  '//evil.example/',
  '///evil.example/',
  '/\\evil.example/',
  '\\\\evil.example/',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/ /evil.example',
  '/%09/evil.example',
  '/%0a/evil.example',
  '/%0d%0a/evil.example',
  '/%2f/evil.example',
  '/%2F%2Fevil.example',
  '%2f%2fevil.example',
  '/%5cevil.example',
  '/%5Cevil.example',
  '/%2509/evil.example',
  '/%252f%252fevil.example',
  '/%255cevil.example',
  'https://evil.example/',
  'http:evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '/javascript:alert(1)//%0a',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  './/evil.example',
  '',
];

const SAFE = ['/review', '/orders?shop=zhiyuan&q=%E5%BC%A0%E4%BC%9F', '/orders/order%3Azhiyuan%3A1', '/login', '/after-sales/cases?stage=qc#top'];

describe('where the site sends people after choosing a language or signing in', () => {
  it.each(TRICKS)('keeps %j on this site', (trick) => {
    expect(localPath(trick, '/fallback')).toBe('/fallback');
  });

  it.each(SAFE)('follows the same-site path %j', (path) => {
    expect(localPath(path, '/fallback')).toBe(path);
  });

  it('answers every trick in /lang/en?next=… with a redirect to the home page', async () => {
    for (const trick of TRICKS) {
      const res = await web.request(`/lang/en?next=${encodeURIComponent(trick)}`);
      expect([res.status, trick, res.headers.get('location')]).toEqual([303, trick, '/']);
    }
  });

  it('sends a language switch back to the page it came from', async () => {
    const res = await web.request(`/lang/en?next=${encodeURIComponent('/orders?shop=zhiyuan')}`);
    expect(res.headers.get('location')).toBe('/orders?shop=zhiyuan');
  });

  it('signs in and lands on the role’s home page whatever trick the login form’s next carries', async () => {
    for (const trick of ['/%09/evil.example', '/\t/evil.example', '/%2F%2Fevil.example', '/%5cevil.example', '/%2509/evil.example', 'javascript:alert(1)', 'https://evil.example/']) {
      const res = await web.agent().post('/login', { username: 'shendan', password: PASSWORD, next: trick });
      expect([res.status, trick, res.headers.get('location')]).toEqual([303, trick, '/review']);
    }
  });
});
