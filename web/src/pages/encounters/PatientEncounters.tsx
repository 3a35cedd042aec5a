import { Anchor, Badge, Table, Text } from '@mantine/core';
import { formatDateTime, humanize } from '../../components/format';
import { Link } from '../../router';
import { bedOf, type EncounterView } from './types';

export function StatusBadge({ status }: { status: string }) {
  const color = status === 'active' ? 'green' : status === 'discharged' ? 'gray' : 'orange';
  return (
    <Badge color={color} variant="light" tt="none">
      {humanize(status)}
    </Badge>
  );
}

/** A patient's visits, newest first, each linked to its page (fields and ADT history). */
export function PatientEncounters({ encounters }: { encounters: EncounterView[] }) {
  if (encounters.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="encounters-none">
        No encounters.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="patient-encounters">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Account</Table.Th>
            <Table.Th>Class</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Admitted</Table.Th>
            <Table.Th>Discharged</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Disposition</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {encounters.map((e) => (
            <Table.Tr key={e.id} data-testid="patient-encounter" data-account={e.accountNumber}>
              <Table.Td>
                <Anchor component={Link} href={`/encounters/${e.id}`} ff="monospace" size="sm">
                  {e.accountNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{humanize(e.class)}</Table.Td>
              <Table.Td>
                <StatusBadge status={e.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.admitAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.dischargeAt)}</Table.Td>
              <Table.Td>{bedOf(e)}</Table.Td>
              <Table.Td>{e.dischargeDisposition ? `${e.dischargeDisposition} ${e.dischargeDispositionLabel ?? ''}` : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
