import path from 'node:path';
import { REPO } from './server-process.js';

/** ../shared/refdata beside the repository (CI lays it there, read-only). */
export const REFDATA = path.resolve(REPO, '..', 'shared', 'refdata');
