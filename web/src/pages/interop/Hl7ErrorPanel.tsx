import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { fromEditor, toEditor, type Hl7ErrorDetail, type ReplayOutcome } from './types';

/** One queued message: its raw text in an editor, the reason, Replay and Dismiss (confirmed). */
export function Hl7ErrorPanel({ id, onChanged }: { id: number; onChanged: () => void }) {
  const entry = useResource(`hl7-error-${id}`, (signal) => api.get<Hl7ErrorDetail>(`/api/interop/hl7v2/errors/${id}`, { signal }));
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ReplayOutcome['result'] | null>(null);
  const [confirming, setConfirming] = useState(false);

  // The panel is keyed by the entry id, so a reload (after a replay) only refreshes the text; the outcome stays.
  useEffect(() => {
    if (entry.data) setText(toEditor(entry.data.raw));
  }, [entry.data]);

  if (entry.error) return <ErrorAlert message={entry.error} testId="hl7-error-load" />;
  if (!entry.data) return <PageLoader />;
  const e = entry.data;
  const open = e.status === 'open';
  const edited = text !== toEditor(e.raw);

  const replay = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { ...(edited ? { raw: fromEditor(text) } : {}), ...(note ? { note } : {}) };
      const r = await api.post<ReplayOutcome>(`/api/interop/hl7v2/errors/${id}/replay`, body);
      setOutcome(r.result);
      entry.reload();
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const dismiss = async () => {
    setConfirming(false);
    setBusy(true);
    try {
      await api.post(`/api/interop/hl7v2/errors/${id}/dismiss`, note ? { note } : {});
      entry.reload();
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder data-testid="hl7-error-panel">
      <Stack>
        <Group justify="space-between">
          <Title order={3}>
            Error {e.id} · <span style={{ fontFamily: 'monospace' }}>{e.messageType || 'unreadable message'}</span>
          </Title>
          <Badge variant="light">{e.status}</Badge>
        </Group>
        <Alert color={e.ackCode === 'AR' ? 'orange' : 'red'} variant="light" title={`${e.ackCode} · ${e.errorCode} · HL7 condition ${e.hl7Condition}`} data-testid="hl7-error-reason">
          {e.location ? `${e.location}: ` : ''}
          {e.detail}
        </Alert>
        {e.resolvedAt && (
          <Text size="sm" c="dimmed">
            {e.status} by {e.resolvedBy} {e.resolutionNote ? `— ${e.resolutionNote}` : ''}
          </Text>
        )}
        <Textarea
          label="Raw message (one segment per line)"
          value={text}
          onChange={(ev) => setText(ev.currentTarget.value)}
          autosize
          minRows={6}
          maxRows={24}
          readOnly={!open}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12, whiteSpace: 'pre', overflowX: 'auto' } }}
          data-testid="hl7-error-raw"
        />
        {open && (
          <>
            <TextInput label="Note (optional)" value={note} onChange={(ev) => setNote(ev.currentTarget.value)} maxLength={1000} data-testid="hl7-error-note" />
            <Group>
              <Button onClick={() => void replay()} loading={busy} data-testid="hl7-replay">
                {edited ? 'Replay corrected message' : 'Replay'}
              </Button>
              {edited && (
                <Button variant="subtle" onClick={() => setText(toEditor(e.raw))} disabled={busy}>
                  Undo edits
                </Button>
              )}
              <Button color="red" variant="light" onClick={() => setConfirming(true)} disabled={busy} data-testid="hl7-dismiss">
                Dismiss
              </Button>
            </Group>
          </>
        )}
        <ErrorAlert message={error} testId="hl7-error-action" />
        {outcome && (
          <Alert color={outcome.ackCode === 'AA' ? 'green' : 'red'} variant="light" data-testid="hl7-replay-outcome" role="status">
            {outcome.ackCode === 'AA' ? `Applied (message ${outcome.messageId}).` : `Refused again (${outcome.ackCode}): ${outcome.reason ?? ''}`}
          </Alert>
        )}
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Dismiss this message?">
        <Stack>
          <Text size="sm">The message stays stored but will not be applied. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void dismiss()} data-testid="hl7-dismiss-confirm">
              Dismiss message
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
