// Search-before-create: the patients the matcher finds for what the clerk has typed so far, best first.
import { Anchor, Badge, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Link } from '../../router';
import { displayName, sexLabel } from './format';
import { probeOf, worthMatching, type FormState } from './form';
import type { Items, LikelyItem } from './types';

const DEBOUNCE_MS = 300;

interface State {
  items: LikelyItem[];
  error: string | null;
  loading: boolean;
  asked: boolean;
}

export function DecisionBadge({ decision }: { decision: string }) {
  return decision === 'match' ? (
    <Badge color="red" variant="light" data-testid="likely-decision" data-decision={decision}>
      Likely the same patient
    </Badge>
  ) : (
    <Badge color="orange" variant="light" data-testid="likely-decision" data-decision={decision}>
      Possible duplicate
    </Badge>
  );
}

export function LikelyDuplicates({ form }: { form: FormState }) {
  const probe = worthMatching(form) ? probeOf(form) : null;
  const key = probe ? JSON.stringify(probe) : '';
  const [debounced] = useDebouncedValue(key, DEBOUNCE_MS);
  const [state, setState] = useState<State>({ items: [], error: null, loading: false, asked: false });

  useEffect(() => {
    if (!debounced) {
      setState({ items: [], error: null, loading: false, asked: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api.post<Items<LikelyItem>>('/api/patients/likely', { demographics: JSON.parse(debounced) as unknown, limit: 5 }, { signal: controller.signal }).then(
      (answer) => {
        if (!controller.signal.aborted) setState({ items: answer.items, error: null, loading: false, asked: true });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ items: [], error: errorMessage(error), loading: false, asked: true });
      },
    );
    return () => controller.abort();
  }, [debounced]);

  return (
    <Stack gap="sm" data-testid="likely-panel" aria-live="polite">
      <Group justify="space-between">
        <Title order={4}>Already registered?</Title>
        {state.loading && <Loader size="xs" />}
      </Group>
      <ErrorAlert message={state.error} testId="likely-error" />
      {!state.asked && (
        <Text size="sm" c="dimmed">
          Type a family name with a given name or birth date: patients who may be the same person appear here.
        </Text>
      )}
      {state.asked && state.items.length === 0 && !state.error && (
        <Text size="sm" c="dimmed" data-testid="likely-none">
          No likely duplicates.
        </Text>
      )}
      {state.items.map((item) => {
        const p = item.patient;
        const a = p.demographics.addresses[0];
        return (
          <Card key={p.id} withBorder padding="sm" data-testid="likely-item" data-mrn={p.mrn} data-patient-id={p.id}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Anchor component={Link} href={`/patients/${p.id}`} fw={600} data-testid="likely-open">
                {displayName(p.name)}
              </Anchor>
              <Text size="sm" ff="monospace" fw={700} data-testid="likely-score" title="Match weight (log2 odds)">
                {item.score.toFixed(1)}
              </Text>
            </Group>
            <Text size="sm">
              MRN <Text span ff="monospace">{p.mrn}</Text> · {p.birthDate ?? 'no birth date'} · {sexLabel(p.sex)}
            </Text>
            {a && (
              <Text size="xs" c="dimmed">
                {[a.line1, a.city, a.state, a.postalCode].filter(Boolean).join(', ')}
              </Text>
            )}
            <Group mt={6} gap="xs">
              <DecisionBadge decision={item.decision} />
            </Group>
          </Card>
        );
      })}
    </Stack>
  );
}
