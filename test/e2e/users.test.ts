import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, login, loginAdmin, startTestPlatform, type Session, type TestPlatform } from '../support/platform.js';

let t: TestPlatform;
let admin: Session;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = await loginAdmin(t.app);
});
afterAll(() => t.close());

describe('user administration', () => {
  it('lists the ten roles with their permissions', async () => {
    const roles = (await admin.request('GET', '/api/roles')).json().items;
    expect(roles.map((r: { code: string }) => r.code).sort()).toEqual(
      ['admin', 'auditor', 'cdi_specialist', 'clerk', 'coder', 'him_director', 'physician', 'privacy_officer', 'registrar', 'roi_specialist'],
    );
    const clerk = roles.find((r: { code: string }) => r.code === 'clerk');
    expect(clerk.permissions).toContainEqual({ action: 'read', category: 'clinical', effect: 'deny' });
  });

  it('creates users, changes roles, and audits each change as a privilege change', async () => {
    const created = await admin.request('POST', '/api/users', { username: 'mreyes', displayName: 'M. Reyes', roles: ['coder'] });
    expect(created.statusCode).toBe(201);
    const { user } = created.json();
    expect(user).toMatchObject({ username: 'mreyes', roles: ['coder'], mustChangePassword: true, mfaEnrolled: false, disabled: false });
    expect((await admin.request('POST', '/api/users', { username: 'MReyes', displayName: 'dup', roles: [] })).json().code).toBe('USERNAME_TAKEN');
    expect((await admin.request('POST', '/api/users', { username: 'x y', displayName: 'bad', roles: [] })).json().code).toBe('VALIDATION_FAILED');
    expect((await admin.request('POST', '/api/users', { username: 'ok1', displayName: 'bad', roles: ['wizard'] })).json().code).toBe('UNKNOWN_ROLE');
    const patched = await admin.request('PATCH', `/api/users/${user.id}`, { roles: ['coder', 'cdi_specialist'], breakGlassAuthorised: true });
    expect(patched.json()).toMatchObject({ roles: ['cdi_specialist', 'coder'], breakGlassAuthorised: true });
    const events = (await admin.request('GET', '/api/audit?action=privilege_change&sort=time&order=asc')).json().items;
    const mine = events.filter((e: { resourceId: string }) => e.resourceId === user.id).map((e: { reason: string }) => e.reason);
    expect(mine).toEqual(['user mreyes created with roles coder', 'mreyes: roles set to coder, cdi_specialist; break-glass authorised']);
  });

  it('applies a role change to a signed-in user at once', async () => {
    const u = await addUser(t, 'promoted', ['coder']);
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    expect((await s.request('GET', '/api/audit')).statusCode).toBe(403);
    await admin.request('PATCH', `/api/users/${u.id}`, { roles: ['auditor'] });
    expect((await s.request('GET', '/api/audit')).statusCode).toBe(200);
  });

  it('resets MFA and passwords, ending the user\'s sessions', async () => {
    const u = await addUser(t, 'resetme', ['auditor']);
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    const reset = await admin.request('POST', `/api/users/${u.id}/reset-password`, {});
    expect(reset.json().temporaryPassword).toHaveLength(20);
    expect((await s.request('GET', '/api/audit')).statusCode).toBe(401);
    const mfa = await admin.request('POST', `/api/users/${u.id}/reset-mfa`, {});
    expect(mfa.json().mfaEnrolled).toBe(false);
  });

  it('keeps the last active administrator', async () => {
    const me = (await admin.request('GET', '/api/users')).json().items.find((x: { username: string }) => x.username === 'admin');
    expect((await admin.request('POST', `/api/users/${me.id}/disable`, {})).json().code).toBe('LAST_ADMIN');
    expect((await admin.request('PATCH', `/api/users/${me.id}`, { roles: ['auditor'] })).json().code).toBe('LAST_ADMIN');
  });

  it('is forbidden to users without admin:users', async () => {
    const u = await addUser(t, 'plain', ['coder']);
    const s = await login(t.app, u.username, u.password, u.totpSecret);
    const res = await s.request('GET', '/api/users');
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect((await s.request('POST', '/api/users', { username: 'sneaky', displayName: 'S', roles: ['admin'] })).statusCode).toBe(403);
  });
});
