// One encounter: its fields and the ADT events that made it what it is, oldest first.
import { Anchor, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, humanize } from '../../components/format';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { Link, useLocation } from '../../router';
import { PatientRef } from '../patients/PatientRef';
import { StatusBadge } from './PatientEncounters';
import { ADT_EVENT_LABEL, bedOf, type EncounterDetail } from './types';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children || '—'}</Text>
    </Stack>
  );
}

export default function EncounterPage() {
  const { pathname } = useLocation();
  const id = decodeURIComponent(pathname.split('/')[2] ?? '');
  const enc = useResource(`enc:${id}`, (signal) => api.get<EncounterDetail>(`/api/encounters/${encodeURIComponent(id)}`, { signal }));
  const e = enc.data;
  useDocumentTitle(e ? `Encounter ${e.accountNumber} · Chartroom` : 'Encounter · Chartroom');
  if (!e) {
    return (
      <Stack data-testid="encounter-page">
        <ErrorAlert message={enc.error} testId="encounter-error" />
        {enc.loading && <PageLoader />}
      </Stack>
    );
  }
  return (
    <Stack data-testid="encounter-page" data-encounter-id={e.id}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>
            Encounter <Text span ff="monospace" inherit>{e.accountNumber}</Text>
          </Title>
          <Group gap="sm">
            <PatientRef id={e.patientId} />
            <StatusBadge status={e.status} />
          </Group>
        </Stack>
        <Anchor component={Link} href="/encounters/census" size="sm">
          Census
        </Anchor>
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
          <Field label="Class">{humanize(e.class)}</Field>
          <Field label="Visit number">{e.visitNumber}</Field>
          <Field label="Admitted">{formatDateTime(e.admitAt)}</Field>
          <Field label="Discharged">{formatDateTime(e.dischargeAt)}</Field>
          <Field label="Admit type">{e.admitType}</Field>
          <Field label="Admit source">{e.admitSource}</Field>
          <Field label="Discharge disposition">{e.dischargeDisposition ? `${e.dischargeDisposition} ${e.dischargeDispositionLabel ?? ''}` : ''}</Field>
          <Field label="Length of stay (days)">{e.lengthOfStayDays ?? ''}</Field>
          <Field label="Location">{bedOf(e)}</Field>
          <Field label="Service">{e.hospitalService}</Field>
          <Field label="Financial class">{e.financialClass}</Field>
          <Field label="Payer">{e.payer}</Field>
        </SimpleGrid>
      </Card>
      <Title order={4}>ADT history</Title>
      <Table striped verticalSpacing={6} fz="sm" data-testid="encounter-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Event</Table.Th>
            <Table.Th>Occurred</Table.Th>
            <Table.Th>Recorded</Table.Th>
            <Table.Th>Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {e.events.map((ev, i) => (
            <Table.Tr key={i} data-testid="encounter-event" data-event={ev.event}>
              <Table.Td>
                <Text span ff="monospace" fw={700} size="sm">
                  {ev.event}
                </Text>{' '}
                {ADT_EVENT_LABEL[ev.event] ?? ''}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.occurredAt)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(ev.recordedAt)}</Table.Td>
              <Table.Td>{ev.detail ? <Code>{JSON.stringify(ev.detail)}</Code> : ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
