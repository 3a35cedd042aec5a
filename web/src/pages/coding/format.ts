import type { Abstract, Blocker, CaseStatus } from './types';

export const BLOCKER_LABEL: Record<Blocker, string> = {
  not_coded: 'Not coded',
  open_query: 'Open query',
  failing_edit: 'Failing edit',
};

export const BLOCKER_COLOR: Record<Blocker, string> = {
  not_coded: 'gray',
  open_query: 'yellow',
  failing_edit: 'red',
};

export const STATUS_LABEL: Record<CaseStatus, string> = {
  new: 'New',
  in_progress: 'In progress',
  on_hold: 'On hold (query)',
  coded: 'Coded',
  final: 'Final',
};

export function isBlocker(value: string): value is Blocker {
  return value === 'not_coded' || value === 'open_query' || value === 'failing_edit';
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const moneyCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatMoney(value: number | null | undefined, cents = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return (cents ? moneyCents : money).format(value);
}

export function signedMoney(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatMoney(Math.abs(value))}`;
}

export function formatWeight(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(4);
}

export function signedWeight(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
}

export function drgLabel(drg: number | string | null | undefined): string {
  if (drg === null || drg === undefined || drg === '') return '—';
  return String(drg).padStart(3, '0');
}

/** A code as the grouper and the MCE read it: upper case, no dot. */
export function bareCode(code: string): string {
  return code.replace(/[.\s]/g, '').toUpperCase();
}

/** A code field's text that can be sent (3–7 letters and digits, dot optional). */
export function isCodeShaped(code: string | null | undefined): code is string {
  return typeof code === 'string' && /^[A-Z0-9]{3,7}$/.test(bareCode(code));
}

/**
 * The abstract as the server may evaluate it: half-typed codes and repeated secondaries are left out (the server
 * refuses them), so the DRG follows what the coder has finished typing.
 */
export function sendable(a: Abstract): Abstract {
  const seen = new Set<string>();
  const secondary = a.secondary.filter((s) => {
    if (!isCodeShaped(s.code)) return false;
    const key = bareCode(s.code);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    ...a,
    principalDx: isCodeShaped(a.principalDx) ? a.principalDx.trim() : null,
    admittingDx: isCodeShaped(a.admittingDx) ? a.admittingDx.trim() : null,
    secondary: secondary.map((s) => ({ code: s.code.trim(), poa: s.poa })),
    procedures: a.procedures
      .filter((p) => isCodeShaped(p.code))
      .map((p) => ({ code: p.code.trim(), date: p.date && /^\d{4}-\d{2}-\d{2}$/.test(p.date) ? p.date : null, physicianNpi: p.physicianNpi?.trim() || null })),
  };
}

export function patientName(p: { family: string; given: string } | null | undefined): string {
  if (!p) return '—';
  return `${p.family.toUpperCase()}, ${p.given}`;
}

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
