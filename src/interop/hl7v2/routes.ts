import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../../platform/http/app.js';
import type { Hl7ErrorQueue } from './service.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }, { additionalProperties: false });
const List = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('replayed'), Type.Literal('dismissed')])),
    errorCode: Type.Optional(Type.String({ maxLength: 60, pattern: '^[A-Z0-9_]+$' })),
    messageType: Type.Optional(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9^_]+$' })),
    sendingApp: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ maxLength: 40, format: 'date-time' })),
    to: Type.Optional(Type.String({ maxLength: 40, format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
const Note = Type.Optional(Type.String({ maxLength: 1000 }));

/** The HL7 v2 error queue API (permission: write on demographics, or admin on settings). */
export function hl7v2Routes(app: HttpApp, queue: Hl7ErrorQueue): void {
  app.get('/api/interop/hl7v2/errors', { schema: { querystring: List } }, async (req) => queue.list(principalOf(req), req.actor, req.query));
  app.get('/api/interop/hl7v2/errors/:id', { schema: { params: Id } }, async (req) => queue.get(principalOf(req), req.actor, req.params.id));
  app.post(
    '/api/interop/hl7v2/errors/:id/replay',
    // A corrected message may be large, but no ADT needs more than 1 MiB of text.
    { schema: { params: Id, body: Type.Object({ raw: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 * 1024 })), note: Note }, { additionalProperties: false }) } },
    async (req) => queue.replay(principalOf(req), req.actor, req.params.id, req.body.raw, req.body.note),
  );
  app.post(
    '/api/interop/hl7v2/errors/:id/dismiss',
    { schema: { params: Id, body: Type.Object({ note: Note }, { additionalProperties: false }) } },
    async (req) => queue.dismiss(principalOf(req), req.actor, req.params.id, req.body.note),
  );
}
