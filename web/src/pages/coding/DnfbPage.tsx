// The DNFB (discharged, not final billed) work list: totals by reason × age band, the trend, and the cases with
// their blockers and assignees. ↑/↓ choose a case from anywhere on the page (outside a text field), Enter opens
// it, x ticks it, a opens the assign menu for the ticked cases (or the chosen one).
import { Anchor, Badge, Checkbox, Group, Kbd, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResource } from '../../components/useResource';
import { Link, navigate } from '../../router';
import { useSession, useSignedIn } from '../../session';
import { AssignMenu } from './AssignMenu';
import { DnfbTotals, DnfbTrend } from './DnfbCharts';
import { BLOCKER_COLOR, BLOCKER_LABEL, STATUS_LABEL, drgLabel, formatMoney, patientName } from './format';
import { BLOCKERS, CASE_STATUSES, type AssignmentResult, type Coder, type Items, type TrendPoint, type WorkItem, type Worklist } from './types';

const STATUS_OPTIONS = [{ value: '', label: 'Any status' }, ...CASE_STATUSES.filter((s) => s !== 'final').map((s) => ({ value: s, label: STATUS_LABEL[s] }))];
const REASON_OPTIONS = [{ value: '', label: 'Any reason' }, ...BLOCKERS.map((b) => ({ value: b, label: BLOCKER_LABEL[b] }))];

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement && target.type === 'checkbox') return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}

function assigneeLabel(item: WorkItem): string {
  if (!item.assignee) return '—';
  return item.assignee.displayName ?? 'No longer a coder';
}

export default function DnfbPage() {
  useDocumentTitle('DNFB work list · Chartroom');
  const session = useSignedIn();
  const canAssign = useSession().can('write:coding');
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  // '' anyone, 'me', 'none' (unassigned) or a coder's id: the API's assignedTo.
  const [assignedTo, setAssignedTo] = useState('');
  const key = queryString({ status, reason, assignedTo });
  const list = useResource<Worklist>(`worklist${key}`, (signal) => api.get<Worklist>(`/api/coding/worklist${key}`, { signal }));
  const coders = useResource<Items<Coder>>('coders', (signal) => api.get<Items<Coder>>('/api/coding/coders', { signal }));
  // The trend is of the whole DNFB, after the unfiltered list has taken today's snapshot.
  const trend = useResource<Items<TrendPoint>>(`trend${list.data ? 'ready' : ''}`, (signal) => api.get<Items<TrendPoint>>('/api/coding/trend?days=90', { signal }));
  const [selected, setSelected] = useState(0);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const items = list.data?.items ?? [];
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [menuOpen, setMenuOpen] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const [assignError, setAssignError] = useState<string | null>(null);
  const [assignDone, setAssignDone] = useState<string | null>(null);
  const tickedItems = items.filter((i) => ticked.has(i.encounterId));
  // The ticked cases, else the chosen one.
  const targets = tickedItems.length > 0 ? tickedItems : items[selected] ? [items[selected]] : [];

  const open = (item: WorkItem | undefined) => {
    if (item) navigate(`/coding/cases/${encodeURIComponent(item.encounterId)}`);
  };

  const toggle = (id: string) =>
    setTicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const assign = async (userId: string | null) => {
    const encounterIds = targets.map((t) => t.encounterId);
    setMenuOpen(false);
    if (encounterIds.length === 0) return;
    setAssigning(true);
    setAssignError(null);
    setAssignDone(null);
    try {
      const r = await api.put<AssignmentResult>('/api/coding/assignments', { encounterIds, userId });
      const n = r.items.length;
      setAssignDone(`${n} ${n === 1 ? 'case' : 'cases'} ${r.assignee ? `assigned to ${r.assignee.displayName}` : 'unassigned'}.`);
      setTicked(new Set());
      list.reload();
    } catch (error) {
      setAssignError(errorMessage(error));
    } finally {
      setAssigning(false);
    }
  };

  useEffect(() => {
    setSelected(0);
    setTicked(new Set());
  }, [key]);
  useEffect(() => {
    bodyRef.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const latest = useRef({ items, selected, open, toggle, canAssign, targets });
  latest.current = { items, selected, open, toggle, canAssign, targets };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTextField(event.target) || document.querySelector('[role=dialog]')) return;
      const { items: rows, selected: at, open: go, toggle: tick, canAssign: mayAssign, targets: chosen } = latest.current;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        setSelected(Math.min(at + 1, Math.max(rows.length - 1, 0)));
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected(Math.max(at - 1, 0));
      } else if (event.key === 'Enter' && !(event.target instanceof HTMLButtonElement) && !(event.target instanceof HTMLAnchorElement)) {
        event.preventDefault();
        go(rows[at]);
      } else if (event.key === 'x' && !event.shiftKey) {
        const row = rows[at];
        if (row) {
          event.preventDefault();
          tick(row.encounterId);
        }
      } else if (event.key === 'a' && !event.shiftKey && mayAssign && chosen.length > 0) {
        event.preventDefault();
        setMenuOpen(true);
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
        <NativeSelect
          label="Assigned to"
          value={assignedTo}
          onChange={(e) => setAssignedTo(e.currentTarget.value)}
          data={[
            { value: '', label: 'Anyone' },
            { value: 'me', label: 'Mine' },
            { value: 'none', label: 'Unassigned' },
            ...(coders.data?.items ?? []).filter((c) => c.id !== session.user.id).map((c) => ({ value: c.id, label: c.displayName })),
          ]}
          data-testid="dnfb-assigned"
        />
        {list.loading && <Loader size="xs" />}
        <Text size="xs" c="dimmed" ml="auto">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose, <Kbd size="xs">Enter</Kbd> opens the case
          {canAssign && (
            <>
              , <Kbd size="xs">x</Kbd> ticks it, <Kbd size="xs">a</Kbd> assigns
            </>
          )}
        </Text>
      </Group>
      {canAssign && items.length > 0 && (
        <Group gap="sm" data-testid="dnfb-assign-bar">
          <AssignMenu
            opened={menuOpen}
            onChange={setMenuOpen}
            coders={coders.data?.items ?? []}
            me={session.user.id}
            count={targets.length}
            disabled={assigning || targets.length === 0}
            onAssign={(userId) => void assign(userId)}
          />
          <Text size="sm" c="dimmed" data-testid="dnfb-ticked" data-count={tickedItems.length}>
            {tickedItems.length > 0 ? `${tickedItems.length} ticked` : 'None ticked: assigns the chosen case'}
          </Text>
          {assigning && <Loader size="xs" />}
          {assignDone && (
            <Text size="sm" c="teal" data-testid="dnfb-assign-done" role="status">
              {assignDone}
            </Text>
          )}
        </Group>
      )}
      <ErrorAlert message={list.error} testId="dnfb-error" />
      <ErrorAlert message={assignError} testId="dnfb-assign-error" />
      {list.data && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="dnfb-empty">
          Nothing waits for coding{key ? ' with these filters' : ''}.
        </Text>
      )}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing={6} horizontalSpacing="xs" fz="sm" data-testid="dnfb-table">
          <Table.Thead>
            <Table.Tr>
              {canAssign && (
                <Table.Th w={36}>
                  <Checkbox
                    size="xs"
                    aria-label="Tick every case shown"
                    checked={tickedItems.length > 0 && tickedItems.length === items.length}
                    indeterminate={tickedItems.length > 0 && tickedItems.length < items.length}
                    onChange={() => setTicked(tickedItems.length === items.length ? new Set() : new Set(items.map((i) => i.encounterId)))}
                    data-testid="dnfb-tick-all"
                  />
                </Table.Th>
              )}
              <Table.Th>Account</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Discharged</Table.Th>
              <Table.Th ta="right">Days</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>DRG</Table.Th>
              <Table.Th ta="right">Expected payment</Table.Th>
              <Table.Th>Payer</Table.Th>
              <Table.Th>Blocked by</Table.Th>
              <Table.Th>Assigned to</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ref={bodyRef}>
            {items.map((item, index) => {
              const isSelected = index === selected;
              const isTicked = ticked.has(item.encounterId);
              return (
                <Table.Tr
                  key={item.encounterId}
                  data-index={index}
                  data-testid="dnfb-row"
                  data-encounter-id={item.encounterId}
                  data-account={item.accountNumber}
                  data-status={item.status}
                  data-ticked={isTicked ? 'true' : undefined}
                  aria-selected={isSelected}
                  data-selected={isSelected ? 'true' : undefined}
                  onClick={() => open(item)}
                  style={{
                    cursor: 'pointer',
                    background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                    boxShadow: isSelected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                  }}
                >
                  {canAssign && (
                    <Table.Td onClick={(e) => e.stopPropagation()}>
                      <Checkbox size="xs" aria-label={`Tick ${item.accountNumber}`} checked={isTicked} onChange={() => toggle(item.encounterId)} data-testid="dnfb-tick" />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component={Link} href={`/coding/cases/${encodeURIComponent(item.encounterId)}`} size="sm" onClick={(e) => e.stopPropagation()}>
                      {item.accountNumber}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
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
                  <Table.Td data-testid="dnfb-assignee" data-assignee-id={item.assignedTo ?? ''} c={item.assignee ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
                    {assigneeLabel(item)}
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
