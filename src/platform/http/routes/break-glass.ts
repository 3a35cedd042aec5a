import { Type } from 'typebox';
import type { PatientAccess } from '../../security/access.js';
import { principalOf, type HttpApp } from '../app.js';

/** Break-the-glass grants and the privacy officer's review of them. */
export function breakGlassRoutes(app: HttpApp, access: PatientAccess): void {
  app.post(
    '/api/break-glass',
    {
      schema: {
        body: Type.Object(
          { patientId: Type.String({ minLength: 1, maxLength: 100 }), reason: Type.String({ minLength: 1, maxLength: 2000 }), minutes: Type.Optional(Type.Integer()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await access.breakGlass(principalOf(req), req.actor, req.body)),
  );
  app.get('/api/break-glass/active', async (req) => ({ items: await access.activeGrants(principalOf(req)) }));
  app.get('/api/privacy/break-glass', async (req) => ({ items: await access.review(principalOf(req), req.actor) }));
}
