// The duplicate work list and its neighbours: one page with a tab per URL (/mpi/review, /mpi/overlays,
// /mpi/merges), like the Codes page.
import { Anchor, Badge, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { Link, navigate, useLocation } from '../../router';
import { MergeHistory } from './MergeHistory';
import { ReviewQueue } from './ReviewQueue';
import type { Items, MergeView, Overlay } from './types';

const TABS = [
  { value: 'review', label: 'Duplicate pairs', path: '/mpi/review', title: 'Duplicate work list' },
  { value: 'overlays', label: 'Overlays', path: '/mpi/overlays', title: 'Overlay suspects' },
  { value: 'merges', label: 'Merge history', path: '/mpi/merges', title: 'Merge history' },
] as const;

function tabOf(pathname: string): (typeof TABS)[number] {
  const path = pathname.replace(/\/+$/, '');
  return TABS.find((t) => t.path === path) ?? TABS[0];
}

function Overlays() {
  const list = useResource('overlays', (signal) => api.get<Items<Overlay>>('/api/mpi/overlays', { signal }));
  if (!list.data) return list.loading ? <PageLoader /> : <ErrorAlert message={list.error} />;
  if (list.data.items.length === 0) {
    return (
      <Text c="dimmed" data-testid="overlays-empty">
        No overlay suspects: no record whose encounters report conflicting birth dates or sexes.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        Records that may hold two people: their encounters report other birth dates or sexes than the record.
      </Text>
      <Table striped verticalSpacing={6} fz="sm" data-testid="overlays-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Birth dates seen</Table.Th>
            <Table.Th>Sexes seen</Table.Th>
            <Table.Th>Encounters</Table.Th>
            <Table.Th>Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.data.items.map((o) => (
            <Table.Tr key={o.patientId} data-testid="overlay-row">
              <Table.Td>
                <Anchor component={Link} href={`/patients/${o.patientId}`} ff="monospace" size="sm">
                  {o.mrn}
                </Anchor>
              </Table.Td>
              <Table.Td>{o.birthDates.join(', ')}</Table.Td>
              <Table.Td>{o.sexes.join(', ')}</Table.Td>
              <Table.Td>{o.encounters}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {(o.reasons.length ? o.reasons : ['birth date differs from the record']).map((r) => (
                    <Badge key={r} size="sm" color="orange" variant="light" tt="none">
                      {r}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Merges() {
  const list = useResource('merges', (signal) => api.get<Items<MergeView>>('/api/mpi/merges', { signal }));
  if (!list.data) return list.loading ? <PageLoader /> : <ErrorAlert message={list.error} />;
  return <MergeHistory merges={list.data.items.slice(0, 50)} mayUnmerge onChanged={list.reload} />;
}

export default function ReviewPage() {
  const { pathname } = useLocation();
  const tab = tabOf(pathname);
  useDocumentTitle(`${tab.title} · Chartroom`);
  return (
    <Stack data-testid="review-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Master patient index</Title>
        <Text size="sm" c="dimmed">
          Decisions are remembered: a pair marked “not a match” never comes back.
        </Text>
      </Group>
      <Tabs value={tab.value} onChange={(value) => navigate(TABS.find((t) => t.value === value)?.path ?? '/mpi/review')} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} data-testid={`review-tab-${t.value}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="review">
          <ReviewQueue active={tab.value === 'review'} />
        </Tabs.Panel>
        <Tabs.Panel value="overlays">
          <Overlays />
        </Tabs.Panel>
        <Tabs.Panel value="merges">
          <Merges />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
