// The DNFB (discharged, not final billed) work list: totals by reason × age band, the trend, and the cases with
// their blockers. ↑/↓ choose a case from anywhere on the page (outside a text field), Enter opens it.
import { Anchor, Badge, Group, Kbd, Loader, NativeSelect, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResource } from '../../components/useResource';
import { Link, navigate } from '../../router';
import { useSignedIn } from '../../session';
import { DnfbTotals, DnfbTrend } from './DnfbCharts';
import { BLOCKER_COLOR, BLOCKER_LABEL, STATUS_LABEL, drgLabel, formatMoney, patientName } from './format';
import { BLOCKERS, CASE_STATUSES, type Items, type TrendPoint, type WorkItem, type Worklist } from './types';

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...CASE_STATUSES.filter((s) => s !== 'final').map((s) => ({ value: s, label: STATUS_LABEL[s] }))];
const REASON_OPTIONS = [{ value: '', label: 'Any reason' }, ...BLOCKERS.map((b) => ({ value: b, label: BLOCKER_LABEL[b] }))];

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

export default function DnfbPage() {
  useDocumentTitle('DNFB work list · Chartroom');
  const session = useSignedIn();
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [who, setWho] = useState('all');
  const assignedTo = who === 'mine' ? session.user.id : who === 'none' ? 'none' : '';
  const key = queryString({ status, reason, assignedTo });
  const list = useResource<Worklist>(`worklist${key}`, (signal) => api.get<Worklist>(`/api/coding/worklist${key}`, { signal }));
  // The trend is of the whole DNFB, after the unfiltered list has taken today's snapshot.
  const trend = useResource<Items<TrendPoint>>(`trend${list.data ? 'ready' : ''}`, (signal) => api.get<Items<TrendPoint>>('/api/coding/trend?days=90', { signal }));
  const [selected, setSelected] = useState(0);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const items = list.data?.items ?? [];

  const open = (item: WorkItem | undefined) => {
    if (item) navigate(`/coding/cases/${encodeURIComponent(item.encounterId)}`);
  };

  useEffect(() => setSelected(0), [key]);
  useEffect(() => {
    bodyRef.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const latest = useRef({ items, selected, open });
  latest.current = { items, selected, open };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTextField(event.target) || document.querySelector('[role=dialog]')) return;
      const { items: rows, selected: at, open: go } = latest.current;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setSelected(Math.min(at + 1, Math.max(rows.length - 1, 0)));
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected(Math.max(at - 1, 0));
      } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement) && !(event.target instanceof HTMLAnchorElement)) {
        event.preventDefault();
        go(rows[at]);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <Stack data-testid="dnfb-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>DNFB work list</Title>
        <Group gap="md">
          <Anchor component={Link} href="/coding/queries/report" size="sm" data-testid="dnfb-report-link">
            Query report
          </Anchor>
          <Anchor component={Link} href="/coding/inbox" size="sm">
            Query in-box
          </Anchor>
        </Group>
      </Group>
      {list.data && !key && <DnfbTotals totals={list.data.totals} />}
      {list.data && key && (
        <Text size="sm" c="dimmed">
          Totals and the trend are shown for the unfiltered list.
        </Text>
      )}
      {!key && trend.data && <DnfbTrend points={trend.data.items} />}
      <Group gap="sm" align="flex-end">
        <NativeSelect label="Status" data={STATUS_OPTIONS} value={status} onChange={(e) => setStatus(e.currentTarget.value)} data-testid="dnfb-status" />
        <NativeSelect label="Reason" data={REASON_OPTIONS} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="dnfb-reason" />
        <SegmentedControl
          value={who}
          onChange={setWho}
          data={[
            { value: 'all', label: 'All' },
            { value: 'mine', label: 'Mine' },
            { value: 'none', label: 'Unassigned' },
          ]}
          data-testid="dnfb-assigned"
        />
        {list.loading && <Loader size="xs" />}
        <Text size="xs" c="dimmed" ml="auto">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose, <Kbd size="xs">Enter</Kbd> opens the case
        </Text>
      </Group>
      <ErrorAlert message={list.error} testId="dnfb-error" />
      {list.data && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="dnfb-empty">
          Nothing waits for coding{key ? ' with these filters' : ''}.
        </Text>
      )}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing={6} fz="sm" data-testid="dnfb-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Discharged</Table.Th>
              <Table.Th ta="right">Days</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>DRG</Table.Th>
              <Table.Th ta="right">Expected payment</Table.Th>
              <Table.Th>Payer</Table.Th>
              <Table.Th>Blocked by</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ref={bodyRef}>
            {items.map((item, index) => {
              const isSelected = index === selected;
              return (
                <Table.Tr
                  key={item.encounterId}
                  data-index={index}
                  data-testid="dnfb-row"
                  data-encounter-id={item.encounterId}
                  data-account={item.accountNumber}
                  data-status={item.status}
                  aria-selected={isSelected}
                  data-selected={isSelected ? 'true' : undefined}
                  onClick={() => open(item)}
                  style={{
                    cursor: 'pointer',
                    background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                    boxShadow: isSelected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                  }}
                >
                  <Table.Td>
                    <Anchor component={Link} href={`/coding/cases/${encodeURIComponent(item.encounterId)}`} size="sm" onClick={(e) => e.stopPropagation()}>
                      {item.accountNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {patientName(item.patient)}
                    {item.patient && (
                      <Text span size="xs" c="dimmed" ml={6}>
                        {item.patient.mrn}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{item.dischargeAt.slice(0, 10)}</Table.Td>
                  <Table.Td ta="right" data-testid="dnfb-days">
                    {item.daysSinceDischarge}
                  </Table.Td>
                  <Table.Td>{STATUS_LABEL[item.status] ?? item.status}</Table.Td>
                  <Table.Td>{drgLabel(item.drg)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(item.expectedPayment)}</Table.Td>
                  <Table.Td>{item.payer ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {item.blockers.map((b) => (
                        <Badge key={b} size="sm" variant="light" color={BLOCKER_COLOR[b]} data-testid="dnfb-blocker" data-blocker={b}>
                          {BLOCKER_LABEL[b]}
                          {b === 'open_query' && item.openQueries > 1 ? ` (${item.openQueries})` : ''}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
