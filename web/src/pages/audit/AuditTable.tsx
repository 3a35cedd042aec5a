import { Badge, Table, Text, UnstyledButton } from '@mantine/core';
import type { AuditEvent, AuditSortKey } from '../../api/types';
import { formatDateTime } from '../../components/format';

interface Column {
  label: string;
  sort?: AuditSortKey;
}

const COLUMNS: Column[] = [
  { label: 'Time', sort: 'time' },
  { label: 'User', sort: 'user' },
  { label: 'Patient', sort: 'patient' },
  { label: 'Action', sort: 'action' },
  { label: 'Category', sort: 'category' },
  { label: 'Resource', sort: 'resourceType' },
  { label: 'Channel', sort: 'channel' },
  { label: 'Outcome', sort: 'outcome' },
  { label: 'Source IP' },
  { label: 'Reason' },
];

const OUTCOME_COLOR: Record<AuditEvent['outcome'], string> = { success: 'green.8', failure: 'orange.8', denied: 'red.8' };

interface AuditTableProps {
  events: AuditEvent[];
  sort: AuditSortKey;
  order: 'asc' | 'desc';
  onSort: (key: AuditSortKey) => void;
}

function SortHeader({ column, sort, order, onSort }: { column: Column } & Omit<AuditTableProps, 'events'>) {
  if (!column.sort) return <Table.Th>{column.label}</Table.Th>;
  const key = column.sort;
  const active = key === sort;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(key)} fw={700} fz="sm" data-testid={`audit-sort-${key}`}>
        {column.label}
        <Text span c={active ? undefined : 'dimmed'} ml={4} aria-hidden>
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </Text>
      </UnstyledButton>
    </Table.Th>
  );
}

export function AuditTable({ events, sort, order, onSort }: AuditTableProps) {
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            {COLUMNS.map((column) => (
              <SortHeader key={column.label} column={column} sort={sort} order={order} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.id} data-testid="audit-row">
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.time, true)}</Table.Td>
              <Table.Td>
                {event.username ?? event.userId ?? '—'}
                {event.onBehalfOf && (
                  <Text size="xs" c="dimmed">
                    for {event.onBehalfOf}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{event.patientId ?? ''}</Table.Td>
              <Table.Td>
                <Text span ff="monospace" size="sm">
                  {event.action}
                </Text>
                {event.breakGlass && (
                  <Badge color="red" size="xs" ml={6} variant="filled">
                    Break-glass
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{event.category ?? ''}</Table.Td>
              <Table.Td maw={220} style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={[event.resourceType, event.resourceId].filter(Boolean).join(' ')}>
                {[event.resourceType, event.resourceId].filter(Boolean).join(' ')}
              </Table.Td>
              <Table.Td>{event.channel}</Table.Td>
              <Table.Td>
                <Text span size="sm" fw={600} c={OUTCOME_COLOR[event.outcome] ?? undefined}>
                  {event.outcome}
                </Text>
              </Table.Td>
              <Table.Td ff="monospace">{event.sourceIp ?? ''}</Table.Td>
              <Table.Td>{event.reason ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
