// Physician queries of one encounter: pick a compliant template and the physician, quote the clinical indicators
// from the record (text and source), preview, send; below, the encounter's queries with their status and answer.
import { ActionIcon, Alert, Badge, Button, Group, List, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { useResource } from '../../components/useResource';
import type { Items, PhysicianQuery, QueryTemplate } from './types';

interface Indicator {
  text: string;
  source: string;
}

const EMPTY: Indicator = { text: '', source: '' };

export function QueryTab({ encounterId, locked, onSent }: { encounterId: string; locked: boolean; onSent: () => void }) {
  const templates = useResource<{ source: string; items: QueryTemplate[] }>('templates', (signal) => api.get('/api/coding/query-templates', { signal }));
  const physicians = useResource<Items<{ id: string; displayName: string }>>('physicians', (signal) => api.get('/api/coding/physicians', { signal }));
  const queries = useResource<Items<PhysicianQuery>>(`queries-${encounterId}`, (signal) => api.get(`/api/coding/queries?encounterId=${encodeURIComponent(encounterId)}`, { signal }));
  const [templateId, setTemplateId] = useState('');
  const [physicianId, setPhysicianId] = useState('');
  const [indicators, setIndicators] = useState<Indicator[]>([{ ...EMPTY }]);
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sentNotice, setSentNotice] = useState<string | null>(null);

  const template = templates.data?.items.find((t) => t.id === templateId) ?? null;
  const quoted = indicators.filter((i) => i.text.trim() !== '' || i.source.trim() !== '');
  const ready = template !== null && physicianId !== '' && quoted.length > 0 && quoted.every((i) => i.text.trim().length >= 3 && i.source.trim() !== '');

  const setIndicator = (index: number, patch: Partial<Indicator>) => setIndicators((list) => list.map((x, i) => (i === index ? { ...x, ...patch } : x)));

  const send = async () => {
    if (!template) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/coding/queries', { encounterId, templateId: template.id, physicianId, indicators: quoted.map((i) => ({ text: i.text.trim(), source: i.source.trim() })) });
      setSentNotice(`Query “${template.title}” sent.`);
      setPreviewing(false);
      setIndicators([{ ...EMPTY }]);
      setTemplateId('');
      queries.reload();
      onSent();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const physicianName = (id: string) => physicians.data?.items.find((p) => p.id === id)?.displayName ?? 'physician';

  return (
    <Stack data-testid="query-tab">
      {!locked && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            <Title order={4}>New query</Title>
            <Group align="flex-end" gap="sm">
              <NativeSelect
                label="Template"
                data={[{ value: '', label: 'Choose a template…' }, ...(templates.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.title} (v${t.version})` }))]}
                value={templateId}
                onChange={(e) => {
                  setTemplateId(e.currentTarget.value);
                  setPreviewing(false);
                }}
                data-testid="query-template"
              />
              <NativeSelect
                label="Physician"
                data={[{ value: '', label: 'Choose the physician…' }, ...(physicians.data?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }))]}
                value={physicianId}
                onChange={(e) => setPhysicianId(e.currentTarget.value)}
                data-testid="query-physician"
              />
            </Group>
            <ErrorAlert message={physicians.error} />
            {template && (
              <Text size="xs" c="dimmed">
                Quote from the record, e.g.: {template.indicatorHints.join(' · ')}
              </Text>
            )}
            {indicators.map((indicator, index) => (
              <Group key={index} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label={index === 0 ? 'Clinical indicator (quoted)' : undefined}
                  placeholder="SpO2 84% on room air"
                  value={indicator.text}
                  onChange={(e) => setIndicator(index, { text: e.currentTarget.value })}
                  style={{ flex: 2 }}
                  data-testid="query-indicator-text"
                />
                <TextInput
                  label={index === 0 ? 'Source (document, date)' : undefined}
                  placeholder="ED note 2025-03-01"
                  value={indicator.source}
                  onChange={(e) => setIndicator(index, { source: e.currentTarget.value })}
                  style={{ flex: 1 }}
                  data-testid="query-indicator-source"
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label="Remove this indicator"
                  onClick={() => setIndicators((list) => (list.length === 1 ? [{ ...EMPTY }] : list.filter((_, i) => i !== index)))}
                  mb={4}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Group gap="xs">
              <Button size="compact-sm" variant="subtle" onClick={() => setIndicators((list) => [...list, { ...EMPTY }])} disabled={indicators.length >= 20} data-testid="query-add-indicator">
                Add an indicator
              </Button>
              <Button size="compact-sm" variant="light" onClick={() => setPreviewing(true)} disabled={!ready} data-testid="query-preview-button">
                Preview
              </Button>
            </Group>
            {previewing && template && (
              <Paper withBorder p="sm" bg="gray.0" data-testid="query-preview">
                <Stack gap={6}>
                  <Text size="sm" fw={600}>
                    To {physicianName(physicianId)} · {template.title}
                  </Text>
                  <Text size="sm">Clinical indicators in the record:</Text>
                  <List size="sm">
                    {quoted.map((i, n) => (
                      <List.Item key={n}>
                        “{i.text.trim()}” — {i.source.trim()}
                      </List.Item>
                    ))}
                  </List>
                  <Text size="sm">{template.question}</Text>
                  <List size="sm" listStyleType="circle">
                    {template.options.map((o) => (
                      <List.Item key={o}>{o}</List.Item>
                    ))}
                  </List>
                  <ErrorAlert message={error} testId="query-error" />
                  <Group justify="flex-end">
                    <Button variant="default" size="xs" onClick={() => setPreviewing(false)}>
                      Edit
                    </Button>
                    <Button size="xs" onClick={() => void send()} loading={busy} data-testid="query-send">
                      Send to the physician
                    </Button>
                  </Group>
                </Stack>
              </Paper>
            )}
            {sentNotice && (
              <Alert color="green" variant="light" p="xs" data-testid="query-sent" withCloseButton onClose={() => setSentNotice(null)}>
                {sentNotice}
              </Alert>
            )}
          </Stack>
        </Paper>
      )}
      <Stack gap="xs">
        <Title order={4}>Queries of this encounter</Title>
        <ErrorAlert message={queries.error} />
        {queries.data && queries.data.items.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="queries-none">
            No query yet.
          </Text>
        )}
        {queries.data?.items.map((q) => (
          <Paper key={q.id} withBorder p="xs" data-testid="query-row" data-query-id={q.id} data-status={q.status}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" fw={500}>
                {templates.data?.items.find((t) => t.id === q.template.id)?.title ?? q.template.id} · to {physicianName(q.physicianId)}
              </Text>
              <Group gap={4}>
                {q.escalated && (
                  <Badge size="sm" color="red" variant="light">
                    escalated
                  </Badge>
                )}
                <Badge size="sm" color={q.status === 'answered' ? 'green' : q.status === 'open' ? 'yellow' : 'gray'} variant="light">
                  {q.status}
                </Badge>
              </Group>
            </Group>
            <Text size="xs" c="dimmed">
              Sent {formatDateTime(q.sentAt)} · {q.ageDays} day(s){q.answeredAt ? ` · answered ${formatDateTime(q.answeredAt)}` : ''}
            </Text>
            {q.answer && (
              <Text size="sm" mt={4} data-testid="query-answer">
                Answer: <strong>{q.answer}</strong>
                {q.answerNote ? ` — ${q.answerNote}` : ''}
              </Text>
            )}
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
