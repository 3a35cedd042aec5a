import { Badge, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../components/format';
import type { Hl7ErrorSummary } from './types';

const STATUS_COLOR = { open: 'red', replayed: 'green', dismissed: 'gray' } as const;

export function Hl7ErrorTable({ items, selected, onSelect }: { items: Hl7ErrorSummary[]; selected: number | null; onSelect: (id: number) => void }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="hl7-errors-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Received</Table.Th>
            <Table.Th>Message</Table.Th>
            <Table.Th>Sender</Table.Th>
            <Table.Th>Control ID</Table.Th>
            <Table.Th>Answer</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr
              key={e.id}
              data-testid="hl7-error-row"
              data-id={e.id}
              onClick={() => onSelect(e.id)}
              onKeyDown={(ev) => (ev.key === 'Enter' || ev.key === ' ') && onSelect(e.id)}
              tabIndex={0}
              aria-selected={selected === e.id}
              style={{ cursor: 'pointer', outline: selected === e.id ? '2px solid var(--mantine-color-blue-5)' : undefined }}
            >
              <Table.Td>{formatDateTime(e.createdAt)}</Table.Td>
              <Table.Td ff="monospace">{e.messageType || '—'}</Table.Td>
              <Table.Td>{[e.sendingApp, e.sendingFacility].filter(Boolean).join(' / ') || '—'}</Table.Td>
              <Table.Td ff="monospace">{e.controlId || '—'}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={e.ackCode === 'AR' ? 'orange' : 'red'}>{e.ackCode}</Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2}>
                  {e.location ? `${e.location}: ` : ''}
                  {e.detail}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATUS_COLOR[e.status]}>{e.status}</Badge>
                {e.attempts > 0 && (
                  <Text size="xs" c="dimmed">
                    {e.attempts} failed replay{e.attempts > 1 ? 's' : ''}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
