import { Type } from 'typebox';
import { AppError } from '../platform/errors/app-error.js';
import { sendOperationOutcome } from '../platform/http/fhir-outcome.js';
import type { HttpApp } from '../platform/http/app.js';
import type { CodeSystem } from './model.js';
import type { CodesetService } from './service.js';

/** FHIR R4 code-system URIs of the loaded systems. */
export const FHIR_SYSTEMS: Record<string, CodeSystem> = {
  'http://hl7.org/fhir/sid/icd-10-cm': 'icd10cm',
  'http://www.cms.gov/Medicare/Coding/ICD10': 'icd10pcs',
  'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': 'hcpcs',
};
const URI_OF = Object.fromEntries(Object.entries(FHIR_SYSTEMS).map(([uri, s]) => [s, uri])) as Record<CodeSystem, string>;

function systemOf(uri: string | undefined): CodeSystem {
  const s = uri ? FHIR_SYSTEMS[uri] : undefined;
  if (!s) throw new AppError('CODE_SYSTEM_UNKNOWN', `Unknown code system "${(uri ?? '').slice(0, 80)}"; supported: ${Object.keys(FHIR_SYSTEMS).join(', ')}.`);
  return s;
}

type ParamValue = { name: string; valueString?: string; valueBoolean?: boolean; valueCode?: string; valueUri?: string; part?: ParamValue[] };
const parameters = (parameter: ParamValue[]) => ({ resourceType: 'Parameters', parameter });

const Query = Type.Object(
  {
    system: Type.Optional(Type.String({ maxLength: 200 })),
    url: Type.Optional(Type.String({ maxLength: 200 })),
    code: Type.Optional(Type.String({ maxLength: 40 })),
    date: Type.Optional(Type.String({ maxLength: 20 })),
    filter: Type.Optional(Type.String({ maxLength: 200 })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    version: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** `CodeSystem/$lookup`, `CodeSystem/$validate-code` and `ValueSet/$expand?filter=` over the loaded releases. */
export function fhirTerminologyRoutes(app: HttpApp, codes: CodesetService): void {
  app.get('/fhir/R4/CodeSystem/$lookup', { schema: { querystring: Query } }, async (req, reply) => {
    try {
      const system = systemOf(req.query.system);
      if (!req.query.code) throw new AppError('VALIDATION_FAILED', 'code is required.');
      const d = await codes.detail(req.query.code, system, req.query.date);
      return reply.type('application/fhir+json').send(parameters([
        { name: 'name', valueString: d.version.label },
        { name: 'version', valueString: `${d.version.fiscalYear} (effective ${d.version.effectiveFrom})` },
        { name: 'display', valueString: d.title },
        { name: 'property', part: [{ name: 'code', valueCode: 'billable' }, { name: 'value', valueBoolean: d.billable }] },
        ...d.ancestors.slice(-1).map((a) => ({ name: 'property', part: [{ name: 'code', valueCode: 'parent' }, { name: 'value', valueCode: a.code }] })),
        ...(d.version.notice ? [{ name: 'message', valueString: d.version.notice }] : []),
      ]));
    } catch (error) {
      return sendOperationOutcome(reply, error);
    }
  });

  app.get('/fhir/R4/CodeSystem/$validate-code', { schema: { querystring: Query } }, async (req, reply) => {
    try {
      const system = systemOf(req.query.url ?? req.query.system);
      if (!req.query.code) throw new AppError('VALIDATION_FAILED', 'code is required.');
      const v = await codes.validate(req.query.code, system, req.query.date);
      return reply.type('application/fhir+json').send(parameters([
        { name: 'result', valueBoolean: v.valid },
        { name: 'message', valueString: v.version.notice ? `${v.message} ${v.version.notice}` : v.message },
        ...(v.title ? [{ name: 'display', valueString: v.title }] : []),
      ]));
    } catch (error) {
      return sendOperationOutcome(reply, error);
    }
  });

  app.get('/fhir/R4/ValueSet/$expand', { schema: { querystring: Query } }, async (req, reply) => {
    try {
      const system = systemOf(req.query.url);
      if (!req.query.filter) throw new AppError('QUERY_INVALID', 'filter is required (the text to search for).');
      const r = await codes.search(req.query.filter, system, req.query.date, req.query.count ?? 20);
      return reply.type('application/fhir+json').send({
        resourceType: 'ValueSet',
        url: req.query.url,
        status: 'active',
        expansion: {
          timestamp: new Date().toISOString(),
          total: r.hits.length,
          parameter: [{ name: 'filter', valueString: req.query.filter }, ...r.versions.map((v) => ({ name: 'version', valueString: v.label }))],
          contains: r.hits.map((h) => ({ system: URI_OF[h.system], code: h.code, display: h.title, ...(h.billable ? {} : { abstract: true }) })),
        },
      });
    } catch (error) {
      return sendOperationOutcome(reply, error);
    }
  });
}
