import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../platform/http/app.js';
import { MAX_ASSIGNMENT, type AssignmentService } from './assignments.js';
import type { QueryService } from './queries.js';
import type { CodingService } from './service.js';

const Code = Type.String({ maxLength: 10 });
const Poa = Type.Union([Type.Literal('Y'), Type.Literal('N'), Type.Literal('U'), Type.Literal('W'), Type.Literal('1'), Type.Literal('')]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([Type.Null(), t]);

/** The abstract's JSON shape (validated again, with the code set of the discharge date, by the service). */
export const AbstractSchema = Type.Object({
  principalDx: Nullable(Code),
  principalPoa: Poa,
  admittingDx: Nullable(Code),
  secondary: Type.Array(Type.Object({ code: Code, poa: Poa }, { additionalProperties: false }), { maxItems: 24 }),
  procedures: Type.Array(Type.Object({ code: Code, date: Nullable(Type.String({ maxLength: 10 })), physicianNpi: Nullable(Type.String({ maxLength: 10 })) }, { additionalProperties: false }), { maxItems: 25 }),
  dischargeDisposition: Nullable(Type.String({ maxLength: 2 })),
  admitSource: Nullable(Type.String({ maxLength: 2 })),
  admitType: Nullable(Type.String({ maxLength: 2 })),
  birthWeightGrams: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 20000 })]),
}, { additionalProperties: false });

const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Assignee = Type.Union([Type.Null(), Type.String({ format: 'uuid' })]);

/** Coding over HTTP: the DNFB work list and assignment, the abstract (live evaluation, save, final, re-open), what-if, queries. */
export function codingRoutes(app: HttpApp, s: { coding: CodingService; assignments: AssignmentService; queries: QueryService }): void {
  app.get('/api/coding/worklist', {
    schema: { querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })), assignedTo: Type.Optional(Type.String({ maxLength: 40 })), reason: Type.Optional(Type.String({ maxLength: 20 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })) }, { additionalProperties: false }) },
  }, (req) => s.coding.worklist(principalOf(req), req.actor, req.query));
  app.get('/api/coding/trend', { schema: { querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 730 })) }, { additionalProperties: false }) } }, (req) => s.coding.trend(principalOf(req), req.query.days));
  app.get('/api/coding/cases/:id', { schema: { params: Id } }, (req) => s.coding.get(principalOf(req), req.actor, req.params.id));
  app.post('/api/coding/cases/:id/evaluate', { schema: { params: Id, body: Type.Object({ abstract: AbstractSchema }, { additionalProperties: false }) } }, (req) =>
    s.coding.evaluate(principalOf(req), req.actor, req.params.id, req.body.abstract));
  app.post('/api/coding/cases/:id/what-if', { schema: { params: Id, body: Type.Object({ abstract: AbstractSchema }, { additionalProperties: false }) } }, (req) =>
    s.coding.whatIf(principalOf(req), req.actor, req.params.id, req.body.abstract));
  app.put('/api/coding/cases/:id/abstract', {
    schema: { params: Id, body: Type.Object({ abstract: AbstractSchema, status: Type.Union([Type.Literal('in_progress'), Type.Literal('coded'), Type.Literal('final')]), version: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }) },
  }, (req) => s.coding.save(principalOf(req), req.actor, req.params.id, { ...req.body, abstract: req.body.abstract }));
  app.post('/api/coding/cases/:id/reopen', { schema: { params: Id, body: Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }) } }, (req) =>
    s.coding.reopen(principalOf(req), req.actor, req.params.id, req.body.reason));
  app.put('/api/coding/cases/:id/assignee', { schema: { params: Id, body: Type.Object({ userId: Assignee }, { additionalProperties: false }) } }, async (req) =>
    (await s.assignments.assign(principalOf(req), req.actor, [req.params.id], req.body.userId)).items[0]);
  app.put('/api/coding/assignments', {
    schema: { body: Type.Object({ encounterIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: MAX_ASSIGNMENT, uniqueItems: true }), userId: Assignee }, { additionalProperties: false }) },
  }, (req) => s.assignments.assign(principalOf(req), req.actor, req.body.encounterIds, req.body.userId));
  app.get('/api/coding/coders', { schema: { querystring: Type.Object({}, { additionalProperties: false }) } }, (req) => s.assignments.coders(principalOf(req)));

  app.get('/api/coding/physicians', (req) => s.queries.physicians(principalOf(req)));
  app.get('/api/coding/query-templates', () => s.queries.templates());
  app.get('/api/coding/queries', { schema: { querystring: Type.Object({ encounterId: Type.Optional(Type.String({ maxLength: 64 })), inbox: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) } }, (req) =>
    s.queries.list(principalOf(req), req.actor, req.query));
  app.post('/api/coding/queries', {
    schema: { body: Type.Object({
      encounterId: Type.String({ maxLength: 64 }), templateId: Type.String({ maxLength: 60 }), physicianId: Type.String({ format: 'uuid' }),
      question: Type.Optional(Type.String({ maxLength: 2000 })), options: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 2, maxItems: 12 })),
      indicators: Type.Array(Type.Object({ text: Type.String({ maxLength: 1000 }), source: Type.String({ maxLength: 200 }) }, { additionalProperties: false }), { maxItems: 20 }),
    }, { additionalProperties: false }) },
  }, async (req, reply) => reply.code(201).send(await s.queries.send(principalOf(req), req.actor, req.body)));
  app.post('/api/coding/queries/:id/answer', { schema: { params: Id, body: Type.Object({ answer: Type.String({ maxLength: 200 }), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }) } }, (req) =>
    s.queries.answer(principalOf(req), req.actor, req.params.id, req.body));
  app.get('/api/coding/queries/report', (req) => s.queries.report(principalOf(req), req.actor));
}
