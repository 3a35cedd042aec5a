import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';

/** The one error type. `detail` is shown to the user; it must never contain patient data or SQL. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    const entry = ERROR_CATALOGUE[code];
    super(detail ?? entry.title, options);
    this.name = 'AppError';
    this.code = code;
    this.status = entry.status;
    this.title = entry.title;
    this.detail = detail ?? entry.title;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
}

/** The problem+json body of an error. */
export function toProblem(error: AppError): Problem {
  return {
    type: `https://chartroom.dev/errors#${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.detail,
  };
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
