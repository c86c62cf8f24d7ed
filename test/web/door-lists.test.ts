import { ImportBatch } from '../../db/entities';
import { seedOrders, startWebFixture, type WebFixture } from './web-fixture';

let web: WebFixture;
beforeAll(async () => {
  web = await startWebFixture();
  await seedOrders(web.db, [
    { platformOrderNo: '5100000000000000001', buyerNick: 'tom_cat', status: 'review' },
    { platformOrderNo: '5100000000000000002', buyerNick: 'tomXcat', status: 'review' },
    { platformOrderNo: '5100000000000000003', buyerNick: '满100%减', status: 'review' },
    { platformOrderNo: '5100000000000000004', buyerNick: '满100元减', status: 'review' },
  ]);
});
afterAll(() => web.close());

const shownOrders = (html: string) => [...html.matchAll(/51000000000000000(\d\d)/g)].map((m) => m[1]).filter((v, i, all) => all.indexOf(v) === i).sort();

describe('filters of the order lists', () => {
  it.each(['/orders', '/review', '/print', '/sync'])('answers a status that names a property of every object on %s with 400 and a message, not a crash', async (path) => {
    const a = await web.login('admin');
    for (const status of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const res = await a.get(`${path}?status=${status}`);
      expect([status, res.status]).toEqual([status, 400]);
      expect(await res.text()).toContain('data-testid="error-message"');
    }
  });

  it.each(['/orders', '/review', '/print', '/sync'])('answers a status the list does not have on %s with 400 and a message, instead of showing another list', async (path) => {
    const a = await web.login('admin');
    for (const status of ['bogus', 'shipped_yesterday']) {
      const res = await a.get(`${path}?status=${status}`);
      expect([status, res.status]).toEqual([status, 400]);
      expect(await res.text()).toContain('data-testid="error-message"');
    }
  });

  it('answers a date that is not on the calendar with 400', async () => {
    const a = await web.login('admin');
    const res = await a.get('/orders?from=2026-13-45');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('日期格式应为');
  });

  it('finds a buyer whose nick holds an underscore by that underscore only, not by any character in its place', async () => {
    const a = await web.login('admin');
    const res = await a.get(`/orders?status=all&q=${encodeURIComponent('tom_cat')}`);
    expect(res.status).toBe(200);
    expect(shownOrders(await res.text())).toEqual(['01']);
  });

  it('finds a percent sign as a percent sign, not as "anything"', async () => {
    const a = await web.login('admin');
    expect(shownOrders(await (await a.get(`/orders?status=all&q=${encodeURIComponent('100%')}`)).text())).toEqual(['03']);
    expect(shownOrders(await (await a.get(`/orders?status=all&q=${encodeURIComponent('%')}`)).text())).toEqual(['03']);
    expect(shownOrders(await (await a.get(`/orders?status=all&q=${encodeURIComponent('!')}`)).text())).toEqual([]);
  });
});

describe('the order import and who may send it', () => {
  it('refuses a role without the import permission before reading the upload', async () => {
    const a = await web.login('cangku');
    let pulled = 0;
    const chunk = new Uint8Array(256 * 1024).fill(65);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.length;
        if (pulled > 19 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await web.request('/import', {
      method: 'POST',
      body,
      headers: {
        cookie: [...a.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'multipart/form-data; boundary=----x',
        'x-csrf-token': a.csrf,
      },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(403);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    expect(await web.db.em().count(ImportBatch, {})).toBe(0);
  });
});
