// Merge history (of one patient, or the newest merges) with Unmerge: a reason is required and the dialog says
// exactly what is undone.
import { Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { PatientRef } from './PatientRef';
import type { MergeView, PatientView } from './types';

interface MergeHistoryProps {
  merges: MergeView[];
  /** The patient whose page this is (no extra fetch for it). */
  patient?: PatientView | null;
  mayUnmerge: boolean;
  onChanged: () => void;
}

function movedText(moved: Record<string, number>): string {
  const parts = Object.entries(moved).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

function UnmergeModal({ merge, onClose, onDone }: { merge: MergeView | null; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setReason('');
    setError(null);
    setBusy(false);
  }, [merge]);
  const enough = reason.trim().length >= 5;
  const run = async () => {
    if (!merge || !enough || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/mpi/merges/${merge.id}/unmerge`, { reason: reason.trim() });
      onDone();
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Modal opened={merge !== null} onClose={onClose} title="Undo this merge?" data-testid="unmerge-modal">
      {merge && (
        <Stack>
          <Text size="sm">
            The merged patient becomes active again and gets back everything that was moved ({movedText(merge.moved)}) and what arrived for
            it since; the survivor's demographics return to what they were before the merge.
          </Text>
          <Group gap={6} wrap="nowrap">
            <Text size="sm">Merged:</Text>
            <PatientRef id={merge.mergedId} />
          </Group>
          <Group gap={6} wrap="nowrap">
            <Text size="sm">Survivor:</Text>
            <PatientRef id={merge.survivorId} />
          </Group>
          <Textarea
            label="Reason"
            description="Required (at least 5 characters); it is kept in the merge history and the audit trail."
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            data-autofocus
            autosize
            minRows={2}
            data-testid="unmerge-reason"
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void run();
            }}
          />
          <ErrorAlert message={error} testId="unmerge-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-testid="unmerge-cancel">
              Cancel
            </Button>
            <Button color="red" onClick={() => void run()} disabled={!enough} loading={busy} data-testid="unmerge-confirm">
              Unmerge
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function MergeHistory({ merges, patient, mayUnmerge, onChanged }: MergeHistoryProps) {
  const [undo, setUndo] = useState<MergeView | null>(null);
  if (merges.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="merges-none">
        No merges.
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing={6} fz="sm" data-testid="merges-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Merged</Table.Th>
              <Table.Th>Merged patient</Table.Th>
              <Table.Th>Into (survivor)</Table.Th>
              <Table.Th>Moved</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {merges.map((m) => (
              <Table.Tr key={m.id} data-testid="merge-row" data-merge-id={m.id} data-status={m.unmergedAt ? 'undone' : 'merged'}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(m.mergedAt)}
                  <Text size="xs" c="dimmed">
                    {m.mergedBy ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <PatientRef id={m.mergedId} known={patient ?? null} />
                </Table.Td>
                <Table.Td>
                  <PatientRef id={m.survivorId} known={patient ?? null} />
                </Table.Td>
                <Table.Td>{movedText(m.moved)}</Table.Td>
                <Table.Td>{m.reason ?? ''}</Table.Td>
                <Table.Td>
                  {m.unmergedAt ? (
                    <Stack gap={0}>
                      <Badge color="gray" variant="light">
                        Undone
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(m.unmergedAt)} {m.unmergedBy ?? ''}: {m.unmergeReason ?? ''}
                      </Text>
                    </Stack>
                  ) : (
                    <Badge color="indigo" variant="light">
                      Merged
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {mayUnmerge && !m.unmergedAt && (
                    <Button size="xs" color="red" variant="light" onClick={() => setUndo(m)} data-testid="unmerge-button">
                      Unmerge
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <UnmergeModal merge={undo} onClose={() => setUndo(null)} onDone={onChanged} />
    </>
  );
}
