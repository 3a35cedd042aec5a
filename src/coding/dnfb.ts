/** The DNFB (discharged, not final billed) vocabulary: what blocks a case and how old it is. Pure. */
export const CASE_STATUSES = ['new', 'in_progress', 'on_hold', 'coded', 'final'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const BLOCKERS = ['not_coded', 'open_query', 'failing_edit'] as const;
export type Blocker = (typeof BLOCKERS)[number];

/** Why a discharged case is not final-billed yet (an open deficiency joins once chart completion exists). */
export function blockersOf(c: { status: CaseStatus; version: number; openQueries: number; editCount: number }): Blocker[] {
  const out: Blocker[] = [];
  if (c.status !== 'final' && c.status !== 'coded') out.push('not_coded');
  if (c.openQueries > 0) out.push('open_query');
  if (c.editCount > 0) out.push('failing_edit');
  if (out.length === 0 && c.status === 'coded') out.push('not_coded');
  return out;
}

export const AGE_BANDS = ['0-3', '4-7', '8-14', '15-30', '31+'] as const;

/** Days since discharge in the bands HIM directors report DNFB by. */
export function ageBand(days: number): (typeof AGE_BANDS)[number] {
  if (days <= 3) return '0-3';
  if (days <= 7) return '4-7';
  if (days <= 14) return '8-14';
  if (days <= 30) return '15-30';
  return '31+';
}
