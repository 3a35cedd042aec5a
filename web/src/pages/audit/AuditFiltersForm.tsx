import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { humanize } from '../../components/format';
import { filterFieldProps } from '../../components/shortcuts';
import { EMPTY_FILTERS, isoToLocalInput, localInputToIso, type AuditFilters } from './query';

const ACTION_OPTIONS = [{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((value) => ({ value, label: humanize(value) }))];
const OUTCOME_OPTIONS = [{ value: '', label: 'Any outcome' }, ...AUDIT_OUTCOMES.map((value) => ({ value, label: humanize(value) }))];

type Draft = AuditFilters;

function toDraft(filters: AuditFilters): Draft {
  return { ...filters, from: isoToLocalInput(filters.from), to: isoToLocalInput(filters.to) };
}

export function AuditFiltersForm({ applied, onApply }: { applied: AuditFilters; onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(applied));
  const [error, setError] = useState<string | null>(null);
  // Follow the URL (Back, Clear, a pasted link); compared by value, as `applied` is a new object each render.
  const appliedKey = JSON.stringify(applied);
  useEffect(() => setDraft(toDraft(JSON.parse(appliedKey) as AuditFilters)), [appliedKey]);

  const field = (key: keyof Draft) => ({
    value: draft[key],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value;
      setDraft((current) => ({ ...current, [key]: value }));
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localInputToIso(draft.from);
    const to = localInputToIso(draft.to);
    if (from && to && from > to) {
      setError('"From" must be before "To".');
      return;
    }
    setError(null);
    const trimmed = { ...draft, user: draft.user.trim(), patient: draft.patient.trim(), category: draft.category.trim() };
    onApply({ ...trimmed, from, to });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Audit filters">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
        <TextInput type="datetime-local" label="From" autoFocus data-testid="audit-from" {...field('from')} {...filterFieldProps} />
        <TextInput type="datetime-local" label="To" data-testid="audit-to" {...field('to')} />
        <TextInput label="User" placeholder="Username" data-testid="audit-user" {...field('user')} />
        <TextInput label="Patient" placeholder="Patient ID" data-testid="audit-patient" {...field('patient')} />
        <NativeSelect label="Action" data={ACTION_OPTIONS} data-testid="audit-action" {...field('action')} />
        <TextInput label="Category" placeholder="e.g. clinical" data-testid="audit-category" {...field('category')} />
        <NativeSelect label="Outcome" data={OUTCOME_OPTIONS} data-testid="audit-outcome" {...field('outcome')} />
        <Group align="flex-end" gap="xs">
          <Button type="submit" data-testid="audit-apply">
            Apply
          </Button>
          <Button
            variant="default"
            data-testid="audit-clear"
            onClick={() => {
              setError(null);
              setDraft(EMPTY_FILTERS);
              onApply(EMPTY_FILTERS);
            }}
          >
            Clear
          </Button>
        </Group>
      </SimpleGrid>
      <ErrorAlert message={error} testId="audit-filter-error" />
    </form>
  );
}
