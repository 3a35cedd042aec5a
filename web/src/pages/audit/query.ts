// The audit report's state lives in the page URL (/audit?user=…&sort=…), so a report can be
// bookmarked or sent to a colleague; only parameters the API knows are ever sent to it.
import { queryString } from '../../api/client';
import { AUDIT_SORT_KEYS, type AuditSortKey } from '../../api/types';

export const PAGE_SIZE = 50;

export interface AuditFilters {
  from: string;
  to: string;
  user: string;
  patient: string;
  action: string;
  category: string;
  outcome: string;
}

export interface AuditQuery extends AuditFilters {
  sort: AuditSortKey;
  order: 'asc' | 'desc';
  offset: number;
}

export const FILTER_KEYS = ['from', 'to', 'user', 'patient', 'action', 'category', 'outcome'] as const;

export const EMPTY_FILTERS: AuditFilters = { from: '', to: '', user: '', patient: '', action: '', category: '', outcome: '' };

function isSortKey(value: string | null): value is AuditSortKey {
  return value !== null && (AUDIT_SORT_KEYS as readonly string[]).includes(value);
}

export function parseQuery(search: string): AuditQuery {
  const params = new URLSearchParams(search);
  const filters = { ...EMPTY_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = params.get(key) ?? '';
  const sort = params.get('sort');
  const order = params.get('order');
  const offset = Number(params.get('offset'));
  return {
    ...filters,
    sort: isSortKey(sort) ? sort : 'time',
    order: order === 'asc' || order === 'desc' ? order : 'desc',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

export function filtersOf(query: AuditQuery): AuditFilters {
  const filters = { ...EMPTY_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = query[key];
  return filters;
}

/** Query string for the CSV export: the filters only. */
export function exportQuery(query: AuditQuery): string {
  return queryString({ ...filtersOf(query) });
}

/** Query string for GET /api/audit. */
export function listQuery(query: AuditQuery): string {
  return queryString({ ...filtersOf(query), sort: query.sort, order: query.order, limit: PAGE_SIZE, offset: query.offset });
}

/** Query string for the page URL: defaults left out to keep links short. */
export function pageQuery(query: AuditQuery): string {
  return queryString({
    ...filtersOf(query),
    sort: query.sort === 'time' ? undefined : query.sort,
    order: query.order === 'desc' ? undefined : query.order,
    offset: query.offset || undefined,
  });
}

/** <input type="datetime-local"> value (local wall time) → ISO instant, or '' when empty/invalid. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** ISO instant → <input type="datetime-local"> value in the browser's time zone. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
