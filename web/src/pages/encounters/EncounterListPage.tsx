// The census (active inpatient, observation and emergency visits, by unit and bed) and the discharge list of a
// date range: one page, a tab per URL (/encounters/census, /encounters/discharges).
import { Anchor, Group, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, humanize } from '../../components/format';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { Link, navigate, useLocation } from '../../router';
import { displayName } from '../patients/format';
import { bedOf, type ListedEncounter } from './types';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

function EncounterTable({ items, kind }: { items: ListedEncounter[]; kind: 'census' | 'discharges' }) {
  if (items.length === 0) {
    return (
      <Text c="dimmed" data-testid="encounters-empty">
        {kind === 'census' ? 'No patients in house.' : 'No discharges in these dates.'}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped highlightOnHover verticalSpacing={6} fz="sm" data-testid={`encounters-${kind}`}>
        <Table.Thead>
          <Table.Tr>
            {kind === 'census' && <Table.Th>Location</Table.Th>}
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Class</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th>Admitted</Table.Th>
            {kind === 'discharges' && <Table.Th>Discharged</Table.Th>}
            {kind === 'discharges' && <Table.Th>Disposition</Table.Th>}
            <Table.Th>LOS</Table.Th>
            <Table.Th>Financial class</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((e) => (
            <Table.Tr key={e.id} data-testid="encounter-row" data-account={e.accountNumber}>
              {kind === 'census' && <Table.Td>{bedOf(e)}</Table.Td>}
              <Table.Td>
                <Anchor component={Link} href={`/patients/${e.patientId}`} size="sm" fw={600}>
                  {displayName({ family: e.patient.family, given: e.patient.given })}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {e.patient.birthDate ?? ''} {e.patient.sex}
                </Text>
              </Table.Td>
              <Table.Td ff="monospace">{e.patient.mrn}</Table.Td>
              <Table.Td>
                <Anchor component={Link} href={`/encounters/${e.id}`} ff="monospace" size="sm">
                  {e.accountNumber}
                </Anchor>
              </Table.Td>
              <Table.Td>{humanize(e.class)}</Table.Td>
              <Table.Td>{e.hospitalService ?? ''}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.admitAt)}</Table.Td>
              {kind === 'discharges' && <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.dischargeAt)}</Table.Td>}
              {kind === 'discharges' && <Table.Td>{e.dischargeDisposition ? `${e.dischargeDisposition} ${e.dischargeDispositionLabel ?? ''}` : ''}</Table.Td>}
              <Table.Td>{e.lengthOfStayDays ?? ''}</Table.Td>
              <Table.Td>{e.financialClass ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Census() {
  const list = useResource('census', (signal) => api.get<{ items: ListedEncounter[] }>('/api/encounters?kind=census', { signal }));
  if (!list.data) return list.loading ? <PageLoader /> : <ErrorAlert message={list.error} />;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" data-testid="census-count">
        {list.data.items.length} in house
      </Text>
      <EncounterTable items={list.data.items} kind="census" />
    </Stack>
  );
}

function Discharges() {
  const [from, setFrom] = useState(daysAgo(7));
  const [to, setTo] = useState(daysAgo(0));
  const [range] = useDebouncedValue(`${from}|${to}`, 250);
  const [f, t] = range.split('|') as [string, string];
  const valid = (!f || ISO.test(f)) && (!t || ISO.test(t));
  const query = queryString({ kind: 'discharges', from: ISO.test(f) ? f : '', to: ISO.test(t) ? t : '' });
  const list = useResource(`discharges${query}`, (signal) => api.get<{ items: ListedEncounter[] }>(`/api/encounters${query}`, { signal }));
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <TextInput label="Discharged from" placeholder="YYYY-MM-DD" value={from} onChange={(event) => setFrom(event.currentTarget.value)} data-testid="discharges-from" data-shortcut-filter="true" />
        <TextInput label="to" placeholder="YYYY-MM-DD" value={to} onChange={(event) => setTo(event.currentTarget.value)} data-testid="discharges-to" />
        {!valid && (
          <Text size="sm" c="red">
            Dates as YYYY-MM-DD.
          </Text>
        )}
      </Group>
      <ErrorAlert message={list.error} />
      {list.data ? (
        <>
          <Text size="sm" c="dimmed" data-testid="discharges-count">
            {list.data.items.length} discharges
          </Text>
          <EncounterTable items={list.data.items} kind="discharges" />
        </>
      ) : (
        list.loading && <PageLoader />
      )}
    </Stack>
  );
}

export default function EncounterListPage() {
  const { pathname } = useLocation();
  const tab = pathname.startsWith('/encounters/discharges') ? 'discharges' : 'census';
  useDocumentTitle(`${tab === 'census' ? 'Census' : 'Discharges'} · Chartroom`);
  return (
    <Stack data-testid="encounters-page">
      <Title order={2}>ADT</Title>
      <Tabs value={tab} onChange={(value) => navigate(`/encounters/${value ?? 'census'}`)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="census" data-testid="encounters-tab-census">
            Census
          </Tabs.Tab>
          <Tabs.Tab value="discharges" data-testid="encounters-tab-discharges">
            Discharges
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="census">
          <Census />
        </Tabs.Panel>
        <Tabs.Panel value="discharges">
          <Discharges />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
