import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../platform/http/app.js';
import type { EncounterService } from './service.js';

/** Encounters over HTTP: a patient's visits, one visit with its ADT history, the census and discharge lists. */
export function encounterRoutes(app: HttpApp, encounters: EncounterService): void {
  app.get('/api/patients/:id/encounters', { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, (req) =>
    encounters.ofPatient(principalOf(req), req.actor, req.params.id).then((items) => ({ items })));
  app.get('/api/encounters', {
    schema: { querystring: Type.Object({ kind: Type.Union([Type.Literal('census'), Type.Literal('discharges')]), from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }) },
  }, (req) => encounters.list(principalOf(req), req.actor, req.query));
  app.get('/api/encounters/:id', { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, (req) => encounters.get(principalOf(req), req.actor, req.params.id));
  app.get('/api/mpi/overlays', (req) => encounters.overlays(principalOf(req), req.actor));
}
