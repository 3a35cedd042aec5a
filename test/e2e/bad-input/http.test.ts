import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT, buildHttp } from '../../../src/main/http.js';
import { routeTable, type HttpApp } from '../../../src/platform/http/app.js';
import { loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../../support/platform.js';

// The bad-input suite of the platform. Every capability adds a file here for the surfaces it adds.
let t: TestPlatform;
let web: HttpApp;
let admin: Session;
beforeAll(async () => {
  t = await startTestPlatform({ CHARTROOM_BODY_LIMIT_BYTES: '65536' });
  web = buildHttp(t.platform, { webRoot: WEB_ROOT, logger: false });
  await web.ready();
  admin = await loginAdmin(t.app);
});
afterAll(async () => {
  await web.close();
  await t.close();
});

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  // Nothing of the server's insides reaches the client.
  expect(res.body).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|select .* from|syntax error at/i);
}

describe('SQL in sort, filter values and parameter names', () => {
  it('refuses SQL in sort without running it', async () => {
    const started = Date.now();
    const res = await admin.request('GET', `/api/audit?sort=${encodeURIComponent('name;select pg_sleep(5)')}`);
    expectProblem(res, 400, 'INVALID_SORT');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('binds filter values as parameters', async () => {
    for (const value of ["' or 1=1 --", "admin'; drop table audit_event; --", '%', "x' union select * from app_user --"]) {
      const res = await admin.request('GET', `/api/audit?user=${encodeURIComponent(value)}&action=${encodeURIComponent(value)}`);
      expect(res.statusCode, value).toBe(200);
      expect(res.json().total).toBe(0);
    }
    expect((await t.sql('select count(*)::int as n from audit_event')).rows[0].n).toBeGreaterThan(0);
  });

  it('refuses unknown parameter names, including injected ones', async () => {
    for (const name of ["a'--", 'sort;drop', '1=1', '__proto__']) {
      const res = await admin.request('GET', `/api/audit?${encodeURIComponent(name)}=1`);
      expectProblem(res, 400, 'INVALID_PARAMETER');
    }
    expectProblem(await admin.request('GET', '/api/audit?limit=1;select'), 400, 'INVALID_PARAMETER');
    expectProblem(await admin.request('GET', '/api/audit?from=yesterday'), 400, 'INVALID_PARAMETER');
    expectProblem(await admin.request('GET', '/api/audit?order=sideways'), 400, 'INVALID_PARAMETER');
  });
});

describe('bodies', () => {
  it('answers 413 for an oversized body, before and after login', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(70_000) });
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: big });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    const res2 = await admin.request('POST', '/api/users', big, { 'content-type': 'application/json' });
    expectProblem(res2, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for malformed JSON', async () => {
    for (const payload of ['{"username": "admin", ', '{bad}', 'null x', '[1,2', "{'a':1}"]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload });
      expectProblem(res, 400, 'MALFORMED_JSON');
    }
  });

  it('answers 400 for deeply nested JSON', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: deep });
    expectProblem(res, 400, 'JSON_TOO_DEEP');
    const nested = `{"username":"a","password":"b","totp":${'{"x":'.repeat(100)}1${'}'.repeat(100)}}`;
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: nested }), 400, 'JSON_TOO_DEEP');
  });

  it('answers 400 for a body of the wrong shape and 415 for a body that is not JSON', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b', isAdmin: true } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: ['a'], password: 'b' } }), 400, 'VALIDATION_FAILED');
    const form = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=admin&password=x' });
    expectProblem(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('ignores prototype-pollution keys', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":"admin","password":"x","__proto__":{"polluted":1}}' });
    expect(res.statusCode).toBe(401);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('static files and unknown routes', () => {
  it('serves the web app and never a file outside it', async () => {
    expect(fs.existsSync(path.join(WEB_ROOT, 'index.html'))).toBe(true);
    const home = await web.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-security-policy']).toMatch(/default-src 'self'/);
    for (const url of ['/..%2f..%2fetc/passwd', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/....//....//etc/passwd', '/%252e%252e/etc/passwd', '/.env', '/index.html/../../package.json']) {
      const res = await web.inject({ method: 'GET', url });
      expect(res.body, url).not.toMatch(/root:|"dependencies"|CHARTROOM_/);
      // Either refused, or (for a path the client already normalised to /etc/passwd) the app's own page.
      if (res.statusCode !== 404) expect(res.body, url).toBe(home.body);
    }
  });

  it('answers JSON 404 for unknown API routes and 405-free JSON for unknown methods', async () => {
    expectProblem(await web.inject({ method: 'GET', url: '/api/does-not-exist' }), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await web.inject({ method: 'DELETE', url: '/api/audit' }), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('sessions on every route', () => {
  it('answers 401 on every non-public route without a session', async () => {
    const routes = routeTable(t.app).filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) {
      const url = r.url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');
      const res = await t.app.inject({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: {} }) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json().code).toBe('NOT_AUTHENTICATED');
    }
  });

  it('answers 401 for a forged or garbage session cookie', async () => {
    for (const cookie of ['chartroom_session=forged', 'chartroom_session=', `chartroom_session=${'A'.repeat(5000)}`, "chartroom_session=' or 1=1 --"]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
      expect(res.statusCode, cookie.slice(0, 40)).toBe(401);
    }
  });

  it('answers 403 on every state-changing route without the CSRF token', async () => {
    const routes = routeTable(t.app).filter((r) => !r.public && r.method !== 'GET');
    for (const r of routes) {
      const url = r.url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');
      const res = await admin.request(r.method, url, {}, { 'x-csrf-token': 'wrong' });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().code).toBe('CSRF_TOKEN_INVALID');
    }
  });
});

describe('stored XSS', () => {
  it('keeps markup in names as data: JSON out, never HTML', async () => {
    const name = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const res = await admin.request('POST', '/api/users', { username: 'xss-user', displayName: name, roles: [] });
    expect(res.statusCode).toBe(201);
    const list = await admin.request('GET', '/api/users');
    expect(list.headers['content-type']).toMatch(/application\/json/);
    expect(list.headers['x-content-type-options']).toBe('nosniff');
    expect(list.json().items.find((u: { username: string }) => u.username === 'xss-user').displayName).toBe(name);
    // The browser suite checks that the page renders it as text.
  });
});
