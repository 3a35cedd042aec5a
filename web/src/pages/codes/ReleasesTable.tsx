import { Badge, Code, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../components/format';
import { CODE_SYSTEMS, NO_RELEASES_TEXT, systemLabel, type CodeRelease } from './types';

function systemOrder(system: string): number {
  const index = (CODE_SYSTEMS as readonly string[]).indexOf(system);
  return index === -1 ? CODE_SYSTEMS.length : index;
}

/** Releases grouped by system, newest first within a system. */
export function sortReleases(releases: CodeRelease[]): CodeRelease[] {
  return [...releases].sort(
    (a, b) =>
      systemOrder(a.system) - systemOrder(b.system) ||
      a.system.localeCompare(b.system) ||
      b.effectiveFrom.localeCompare(a.effectiveFrom) ||
      a.label.localeCompare(b.label),
  );
}

const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString() : '—');

export function ReleasesTable({ releases }: { releases: CodeRelease[] }) {
  if (releases.length === 0) {
    return (
      <Text c="dimmed" data-testid="codes-releases-empty">
        {NO_RELEASES_TEXT} Run <Code>chartroom import codesets ../shared/refdata</Code> (see the README).
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid="codes-releases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>System</Table.Th>
            <Table.Th>Release</Table.Th>
            <Table.Th>Effective</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Codes</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Billable</Table.Th>
            <Table.Th>Notes</Table.Th>
            <Table.Th>Imported</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sortReleases(releases).map((release) => (
            <Table.Tr key={`${release.system}:${release.id}`} data-testid="codes-release-row" data-system={release.system}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{systemLabel(release.system)}</Table.Td>
              <Table.Td>
                {release.label}
                {release.kind && (
                  <Badge size="xs" variant="outline" color="gray" tt="none" ml={6}>
                    {release.kind}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }} ff="monospace">
                {release.effectiveFrom} – {release.effectiveTo || '…'}
              </Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{count(release.codes)}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{count(release.billable)}</Table.Td>
              <Table.Td>{release.hasNotes ? 'Yes' : '—'}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(release.importedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
