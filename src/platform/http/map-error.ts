import type { FastifyBaseLogger, FastifyError } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.js';

/**
 * Turns anything thrown in a request into an AppError. Unknown errors are logged (stack only, no request
 * data) and become a generic 500 that leaks nothing: no stack, no SQL.
 */
export function mapError(error: unknown, log: FastifyBaseLogger): AppError {
  if (isAppError(error)) return error;
  const e = error as FastifyError & { validationContext?: string };
  if (e.validation) {
    const where = e.validationContext ?? 'request';
    const unknownParam = e.validation.find((v) => v.keyword === 'additionalProperties');
    if (unknownParam && where === 'querystring') {
      const name = String((unknownParam.params as { additionalProperty?: string }).additionalProperty ?? '');
      return new AppError('INVALID_PARAMETER', `Unknown query parameter "${name.slice(0, 60)}".`);
    }
    const details = e.validation
      .slice(0, 5)
      .map((v) => `${where}${v.instancePath || ''} ${v.message ?? 'is invalid'}`)
      .join('; ');
    return new AppError(where === 'querystring' ? 'INVALID_PARAMETER' : 'VALIDATION_FAILED', details);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with content-type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_NOT_FOUND':
      return new AppError('ROUTE_NOT_FOUND');
    default:
      break;
  }
  if (e.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (e.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (e.statusCode === 404) return new AppError('NOT_FOUND');
  if (e.statusCode === 400) return new AppError('VALIDATION_FAILED', 'The request is malformed.');
  const pgCode = (error as { code?: string }).code;
  if (pgCode && /^(08|57P)/.test(pgCode)) return new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable.');
  if ((error as { message?: string }).message?.includes('ECONNREFUSED')) {
    return new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable.');
  }
  log.error({ err: { type: (error as Error)?.name, stack: (error as Error)?.stack } }, 'unexpected error');
  return new AppError('INTERNAL', 'Something went wrong on the server. The error was logged.');
}
