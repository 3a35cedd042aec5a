import { Type } from 'typebox';
import type { ReviewService } from '../../patients/review.js';
import type { PatientService } from '../../patients/service.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { HttpApp } from '../../platform/http/app.js';
import { principalOf } from '../../platform/http/app.js';
import { sendOperationOutcome } from '../../platform/http/fhir-outcome.js';
import { matchGrade, patientDemographics, toFhirPatient } from './mapping.js';

const Body = Type.Object({ resourceType: Type.Literal('Parameters'), parameter: Type.Array(Type.Object({ name: Type.String({ maxLength: 40 }) }, { additionalProperties: true }), { maxItems: 10 }) });

/**
 * `POST /fhir/R4/Patient/$match`: candidates for a Patient resource, scored by the MPI's matcher, as a searchset
 * Bundle with the match-grade extension; the score is the match probability (log-odds weight turned into 0–1).
 */
export function fhirPatientRoutes(app: HttpApp, s: { patients: PatientService; review: ReviewService }): void {
  app.post('/fhir/R4/Patient/$match', { schema: { body: Body } }, async (req, reply) => {
    try {
      const params = req.body.parameter as { name: string; resource?: Record<string, unknown>; valueBoolean?: boolean; valueInteger?: number }[];
      const resource = params.find((p) => p.name === 'resource')?.resource;
      if (!resource || resource.resourceType !== 'Patient') throw new AppError('VALIDATION_FAILED', 'Parameters needs a "resource" parameter holding a Patient.');
      const onlyCertain = params.find((p) => p.name === 'onlyCertainMatches')?.valueBoolean === true;
      const count = Math.min(Math.max(params.find((p) => p.name === 'count')?.valueInteger ?? 10, 1), 50);
      const d = patientDemographics(resource);
      if (d.names.length === 0 && !d.birthDate) throw new AppError('VALIDATION_FAILED', 'The Patient needs at least a name or a birth date to match on.');
      const { items } = await s.review.likely(principalOf(req), req.actor, d, count);
      const entry = items
        .map((i) => ({ i, p: 1 / (1 + 2 ** -i.score) }))
        .filter(({ i }) => !onlyCertain || i.decision === 'match')
        .map(({ i, p }) => ({
          fullUrl: `Patient/${i.patient.id}`,
          resource: toFhirPatient(i.patient),
          search: { mode: 'match', score: Math.round(p * 10000) / 10000, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/match-grade', valueCode: matchGrade(i.decision, p) }] },
        }));
      return reply.type('application/fhir+json').send({ resourceType: 'Bundle', type: 'searchset', total: entry.length, entry });
    } catch (error) {
      return sendOperationOutcome(reply, error);
    }
  });
}
