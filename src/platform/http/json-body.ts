import { AppError } from '../errors/app-error.js';

export const MAX_JSON_DEPTH = 64;

/**
 * Parses a JSON request body strictly: nesting deeper than MAX_JSON_DEPTH is refused before parsing
 * (deep JSON is a denial-of-service), `__proto__` keys are dropped, and errors carry a stable code.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_JSON_DEPTH) throw new AppError('JSON_TOO_DEEP', `JSON may nest at most ${MAX_JSON_DEPTH} levels.`);
    } else if (c === 125 || c === 93) depth--;
  }
  try {
    return JSON.parse(text, (key, value: unknown) => (key === '__proto__' || key === 'constructor' ? undefined : value));
  } catch {
    throw new AppError('MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}
