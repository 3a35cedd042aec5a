import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../platform/http/app.js';
import type { MergeService } from './merge.js';
import type { ReviewService } from './review.js';
import type { PatientService } from './service.js';

const Str = (max: number) => Type.String({ maxLength: max });
const Opt = (max: number) => Type.Optional(Str(max));
const Name = Type.Object({ family: Str(100), given: Str(100), middle: Opt(100), suffix: Opt(20), prefix: Opt(20), use: Opt(20) }, { additionalProperties: false });
const Address = Type.Object({ line1: Str(200), line2: Opt(200), city: Opt(100), state: Opt(40), postalCode: Opt(20), country: Opt(40), use: Opt(20) }, { additionalProperties: false });
const Phone = Type.Object({ number: Str(40), use: Opt(20) }, { additionalProperties: false });
const Related = Type.Object({ name: Str(200), relationship: Opt(40), phone: Opt(40), address: Type.Optional(Address) }, { additionalProperties: false });
const Coverage = Type.Object({ payer: Str(200), plan: Opt(100), memberId: Opt(60), groupNumber: Opt(60), subscriber: Opt(200), relationship: Opt(40), effectiveFrom: Opt(10), effectiveTo: Opt(10) }, { additionalProperties: false });
const Nullable = (max: number) => Type.Optional(Type.Union([Type.Null(), Str(max)]));

/** The demographics body of registration and update (also used by FHIR and tests). */
export const DemographicsSchema = Type.Object({
  names: Type.Array(Name, { minItems: 1, maxItems: 10 }),
  birthDate: Type.Union([Type.Null(), Str(10)]),
  sex: Str(1),
  genderIdentity: Nullable(60),
  addresses: Type.Array(Address, { maxItems: 10 }),
  phones: Type.Array(Phone, { maxItems: 10 }),
  email: Nullable(200),
  ssn: Nullable(11),
  language: Nullable(40),
  race: Nullable(60),
  ethnicity: Nullable(60),
  maritalStatus: Nullable(20),
  deathDate: Nullable(10),
  nextOfKin: Type.Array(Related, { maxItems: 10 }),
  guarantor: Type.Optional(Type.Union([Type.Null(), Related])),
  coverages: Type.Array(Coverage, { maxItems: 10 }),
}, { additionalProperties: false });

const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Identifier = Type.Object({ authority: Str(80), value: Str(80), type: Opt(10) }, { additionalProperties: false });

/** The master patient index over HTTP. Every route needs a session; the service checks permissions and audits. */
export function patientRoutes(app: HttpApp, s: { patients: PatientService; merges: MergeService; review: ReviewService }): void {
  app.get('/api/patients', {
    schema: { querystring: Type.Object({ name: Opt(200), birthDate: Opt(10), mrn: Opt(40), ssn4: Opt(4), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }) },
  }, (req) => s.patients.search(principalOf(req), req.actor, req.query));

  app.post('/api/patients', {
    schema: { body: Type.Object({ demographics: DemographicsSchema, identifiers: Type.Optional(Type.Array(Identifier, { maxItems: 20 })) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const view = await s.patients.register(principalOf(req), req.actor, { demographics: req.body.demographics, identifiers: req.body.identifiers });
    return reply.code(201).send(view);
  });

  app.post('/api/patients/likely', {
    schema: { body: Type.Object({ demographics: DemographicsSchema, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }, { additionalProperties: false }) },
  }, (req) => s.review.likely(principalOf(req), req.actor, req.body.demographics, req.body.limit));

  app.get('/api/patients/:id', { schema: { params: IdParam } }, (req) => s.patients.get(principalOf(req), req.actor, req.params.id));

  app.put('/api/patients/:id', {
    schema: { params: IdParam, body: Type.Object({ demographics: DemographicsSchema, version: Type.Optional(Type.Integer({ minimum: 1 })), reason: Opt(500) }, { additionalProperties: false }) },
  }, (req) => s.patients.update(principalOf(req), req.actor, req.params.id, req.body.demographics, req.body.version, req.body.reason));

  app.get('/api/patients/:id/history', { schema: { params: IdParam } }, (req) => s.patients.history(principalOf(req), req.actor, req.params.id).then((items) => ({ items })));

  app.get('/api/patients/:id/merges', { schema: { params: IdParam } }, (req) => s.merges.history(principalOf(req), req.actor, req.params.id).then((items) => ({ items })));

  app.post('/api/mpi/merges', {
    schema: { body: Type.Object({ survivorId: Str(64), mergedId: Str(64), reason: Opt(500) }, { additionalProperties: false }) },
  }, async (req, reply) => reply.code(201).send(await s.merges.merge(principalOf(req), req.actor, req.body)));

  app.get('/api/mpi/merges', (req) => s.merges.history(principalOf(req), req.actor, undefined).then((items) => ({ items })));

  app.post('/api/mpi/merges/:id/unmerge', {
    schema: { params: IdParam, body: Type.Object({ reason: Str(500) }, { additionalProperties: false }) },
  }, (req) => s.merges.unmerge(principalOf(req), req.actor, req.params.id, req.body.reason));

  app.get('/api/mpi/candidates', {
    schema: { querystring: Type.Object({ status: Opt(20), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }) },
  }, (req) => s.review.list(principalOf(req), req.actor, req.query));

  app.post('/api/mpi/candidates/:id/decision', {
    schema: { params: IdParam, body: Type.Object({ decision: Str(20), note: Opt(1000), survivorId: Opt(64) }, { additionalProperties: false }) },
  }, (req) => s.review.decide(principalOf(req), req.actor, req.params.id, req.body));
}
