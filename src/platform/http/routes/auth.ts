import { Type } from 'typebox';
import type { AuthService } from '../../security/auth-service.js';
import { clearSessionCookie, principalOf, setSessionCookie, type HttpApp } from '../app.js';

const Login = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
    totp: Type.Optional(Type.String({ maxLength: 12 })),
  },
  { additionalProperties: false },
);

/** Login, session, logout, password change and MFA enrolment. */
export function authRoutes(app: HttpApp, auth: AuthService): void {
  app.post('/api/auth/login', { schema: { body: Login }, config: { public: true } }, async (req, reply) => {
    const old = req.cookies.chartroom_session;
    const { token, principal } = await auth.login(req.body, req.actor);
    if (old) await auth.authenticate(old, false).then((p) => auth.logout(p, req.actor)).catch(() => undefined);
    setSessionCookie(reply, req, token, Math.round((principal.expiresAt.getTime() - Date.now()) / 1000));
    return auth.sessionInfo(principal);
  });

  app.get(
    '/api/auth/session',
    { schema: { querystring: Type.Object({ touch: Type.Optional(Type.String({ enum: ['0', '1'] })) }, { additionalProperties: false }) }, config: { anyStage: true } },
    (req, reply) => reply.send(auth.sessionInfo(principalOf(req))),
  );

  app.post('/api/auth/logout', { config: { anyStage: true } }, async (req, reply) => {
    await auth.logout(principalOf(req), req.actor);
    clearSessionCookie(reply, req);
    return reply.code(204).send();
  });

  app.post(
    '/api/auth/password',
    {
      schema: { body: Type.Object({ currentPassword: Type.String({ maxLength: 1000 }), newPassword: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) },
      config: { anyStage: true },
    },
    async (req) => auth.sessionInfo(await auth.changePassword(principalOf(req), req.actor, req.body.currentPassword, req.body.newPassword)),
  );

  app.post('/api/auth/mfa/enrol', { config: { anyStage: true } }, async (req) => auth.startMfaEnrolment(principalOf(req)));

  app.post(
    '/api/auth/mfa/verify',
    { schema: { body: Type.Object({ totp: Type.String({ maxLength: 12 }) }, { additionalProperties: false }) }, config: { anyStage: true } },
    async (req) => auth.sessionInfo(await auth.verifyMfa(principalOf(req), req.actor, req.body.totp)),
  );
}
