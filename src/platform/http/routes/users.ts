import { Type } from 'typebox';
import type { UsersService } from '../../security/users-service.js';
import { principalOf, type HttpApp } from '../app.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const RoleList = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 });

/** User administration (permission admin:users). */
export function userRoutes(app: HttpApp, users: UsersService): void {
  app.get('/api/users', async (req) => ({ items: await users.list(principalOf(req)) }));
  app.get('/api/roles', async (req) => ({ items: await users.listRoles(principalOf(req)) }));

  app.post(
    '/api/users',
    {
      schema: {
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            roles: RoleList,
            password: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await users.create(principalOf(req), req.actor, req.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        params: Id,
        body: Type.Object(
          { displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), roles: Type.Optional(RoleList), breakGlassAuthorised: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => users.update(principalOf(req), req.actor, req.params.id, req.body),
  );

  const Empty = Type.Optional(Type.Object({}, { additionalProperties: false }));
  app.post('/api/users/:id/disable', { schema: { params: Id, body: Empty } }, async (req) => users.setDisabled(principalOf(req), req.actor, req.params.id, true));
  app.post('/api/users/:id/enable', { schema: { params: Id, body: Empty } }, async (req) => users.setDisabled(principalOf(req), req.actor, req.params.id, false));
  app.post('/api/users/:id/reset-mfa', { schema: { params: Id, body: Empty } }, async (req) => users.resetMfa(principalOf(req), req.actor, req.params.id));
  app.post('/api/users/:id/reset-password', { schema: { params: Id, body: Empty } }, async (req) => users.resetPassword(principalOf(req), req.actor, req.params.id));
}
