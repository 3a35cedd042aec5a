// Query response and agreement rates by physician and by author (CDI specialist or coder).
import { Anchor, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResource } from '../../components/useResource';
import { Link } from '../../router';
import { percent } from './format';
import type { ReportRow } from './types';

export default function QueryReportPage() {
  useDocumentTitle('Query report · Chartroom');
  const report = useResource<{ byPhysician: ReportRow[]; byAuthor: ReportRow[] }>('query-report', (signal) => api.get('/api/coding/queries/report', { signal }));
  return (
    <Stack data-testid="query-report-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Physician query report</Title>
        <Anchor component={Link} href="/coding" size="sm">
          ← DNFB work list
        </Anchor>
      </Group>
      <ErrorAlert message={report.error} />
      {report.data && (
        <>
          <ReportTable title="By physician" rows={report.data.byPhysician} testId="report-physicians" />
          <ReportTable title="By author (CDI specialist or coder)" rows={report.data.byAuthor} testId="report-authors" />
        </>
      )}
    </Stack>
  );
}

function ReportTable({ title, rows, testId }: { title: string; rows: ReportRow[]; testId: string }) {
  return (
    <Stack gap="xs">
      <Title order={4}>{title}</Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No query sent yet.
        </Text>
      ) : (
        <Table fz="sm" data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th ta="right">Sent</Table.Th>
              <Table.Th ta="right">Answered</Table.Th>
              <Table.Th ta="right">Response rate</Table.Th>
              <Table.Th ta="right">Agreement rate</Table.Th>
              <Table.Th ta="right">Escalated</Table.Th>
              <Table.Th ta="right">Avg. hours to answer</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.userId} data-testid="report-row" data-username={r.username}>
                <Table.Td>{r.username}</Table.Td>
                <Table.Td ta="right">{r.sent}</Table.Td>
                <Table.Td ta="right">{r.answered}</Table.Td>
                <Table.Td ta="right">{percent(r.responseRate)}</Table.Td>
                <Table.Td ta="right">{percent(r.agreementRate)}</Table.Td>
                <Table.Td ta="right">{r.escalated}</Table.Td>
                <Table.Td ta="right">{r.averageHoursToAnswer ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
