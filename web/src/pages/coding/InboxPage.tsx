// The physician's in-box: open queries addressed to me, each with its clinical indicators and question; answered
// by choosing one of its options (a note is required for "Other").
import { Badge, Button, Group, List, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { useResource } from '../../components/useResource';
import type { Items, PhysicianQuery } from './types';

export default function InboxPage() {
  useDocumentTitle('Query in-box · Chartroom');
  const inbox = useResource<Items<PhysicianQuery>>('inbox', (signal) => api.get('/api/coding/queries?inbox=true', { signal }));
  const [answered, setAnswered] = useState<string[]>([]);
  const items = inbox.data?.items ?? [];
  return (
    <Stack data-testid="inbox-page">
      <Title order={2}>Query in-box</Title>
      <Text size="sm" c="dimmed">
        Documentation queries addressed to you. Answer from your clinical judgement; every option, including “Clinically undetermined”, is acceptable.
      </Text>
      <ErrorAlert message={inbox.error} testId="inbox-error" />
      {answered.length > 0 && (
        <Text size="sm" c="green.8" data-testid="inbox-answered">
          {answered.length} answered — thank you.
        </Text>
      )}
      {inbox.data && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="inbox-empty">
          No open query.
        </Text>
      )}
      {items.map((q, index) => (
        <QueryCard
          key={q.id}
          query={q}
          autoFocus={index === 0}
          onAnswered={() => {
            setAnswered((list) => [...list, q.id]);
            inbox.reload();
          }}
        />
      ))}
    </Stack>
  );
}

function QueryCard({ query: q, autoFocus, onAnswered }: { query: PhysicianQuery; autoFocus: boolean; onAnswered: () => void }) {
  const [answer, setAnswer] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isOther = /^other/i.test(answer);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/coding/queries/${encodeURIComponent(q.id)}/answer`, { answer, ...(note.trim() ? { note: note.trim() } : {}) });
      onAnswered();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="inbox-query" data-query-id={q.id}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            Sent {formatDateTime(q.sentAt)} · open {q.ageDays} day(s)
          </Text>
          {q.escalated && (
            <Badge color="red" variant="light">
              escalated
            </Badge>
          )}
        </Group>
        <Text size="sm" fw={500}>
          Clinical indicators in the record:
        </Text>
        <List size="sm">
          {q.indicators.map((i, n) => (
            <List.Item key={n}>
              “{i.text}” — {i.source}
            </List.Item>
          ))}
        </List>
        <Text size="sm" data-testid="inbox-question">
          {q.question}
        </Text>
        <Radio.Group value={answer} onChange={setAnswer} name={`answer-${q.id}`} aria-label="Your answer">
          <Stack gap={6}>
            {q.options.map((option, i) => (
              <Radio key={option} value={option} label={option} data-testid="inbox-option" data-option={option} autoFocus={autoFocus && i === 0} />
            ))}
          </Stack>
        </Radio.Group>
        {isOther && <Textarea label="Please specify" value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} data-testid="inbox-note" />}
        <ErrorAlert message={error} testId="inbox-answer-error" />
        <Group justify="flex-end">
          <Button onClick={() => void send()} loading={busy} disabled={!answer || (isOther && !note.trim())} data-testid="inbox-submit">
            Answer
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
