import type { FastifyReply } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.js';

/** Errors of FHIR endpoints are OperationOutcome resources (not problem+json), with Chartroom's code in details. */
export function sendOperationOutcome(reply: FastifyReply, error: unknown) {
  const e = isAppError(error) ? error : new AppError('INTERNAL');
  const code = e.status === 404 ? 'not-found' : e.status === 400 ? 'invalid' : e.status === 401 ? 'login' : e.status === 403 ? 'forbidden' : 'exception';
  return reply.code(e.status).type('application/fhir+json').send({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { coding: [{ system: 'https://chartroom.dev/errors', code: e.code }], text: e.detail } }],
  });
}
