// What changed between two releases of ICD-10-CM or ICD-10-PCS, and whether it adds up to what CMS's
// addenda say. Lists can hold tens of thousands of codes: at most LIST_CAP rows are drawn, and the filter
// narrows the list before the cap, so any code can still be found.
import { Alert, Badge, Group, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { filterFieldProps } from '../../components/shortcuts';
import { useResource } from '../../components/useResource';
import { SYSTEM_LABEL, type ChangeCounts, type CodeDiff, type CodeRef, type CodeRelease, type RevisedCode } from './types';
import { diffOptions } from './versions';

export const LIST_CAP = 500;

const DIFF_SYSTEMS = ['icd10cm', 'icd10pcs'] as const;
type DiffSystem = (typeof DIFF_SYSTEMS)[number];

const LISTS = [
  { value: 'added', label: 'Added' },
  { value: 'deleted', label: 'Deleted' },
  { value: 'revised', label: 'Revised titles' },
  { value: 'billableToHeader', label: 'Billable → header' },
  { value: 'headerToBillable', label: 'Header → billable' },
] as const;
type ListKey = (typeof LISTS)[number]['value'];

interface Lists {
  added: CodeRef[];
  deleted: CodeRef[];
  revised: RevisedCode[];
  billableToHeader: CodeRef[];
  headerToBillable: CodeRef[];
}

function listsOf(diff: CodeDiff): Lists {
  const list = <T,>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  return {
    added: list(diff.added),
    deleted: list(diff.deleted),
    revised: list(diff.revised),
    billableToHeader: list(diff.billableToHeader),
    headerToBillable: list(diff.headerToBillable),
  };
}

interface DiffPanelProps {
  releases: CodeRelease[];
  active: boolean;
}

export function DiffPanel({ releases, active }: DiffPanelProps) {
  const [system, setSystem] = useState<DiffSystem>('icd10cm');
  const options = useMemo(() => diffOptions(releases, system), [releases, system]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  // Default to the two newest releases; keep a choice while it is still offered.
  const optionsKey = options.map((o) => o.value).join(',');
  useEffect(() => {
    const values = options.map((o) => o.value);
    setTo((current) => (values.includes(current) ? current : (values.at(-1) ?? '')));
    setFrom((current) => (values.includes(current) ? current : (values.at(-2) ?? values.at(-1) ?? '')));
    // optionsKey says when the offered versions changed.
  }, [optionsKey]);

  const ready = active && from !== '' && to !== '' && from !== to;
  const key = ready ? `${system}|${from}|${to}` : '';
  const diff = useResource<CodeDiff | null>(key, (signal) =>
    ready ? api.get<CodeDiff>(`/api/codes/diff${queryString({ system, from, to })}`, { signal }) : Promise.resolve(null),
  );

  const selectData = options.length > 0 ? options : [{ value: '', label: 'No release loaded' }];

  return (
    <Stack data-testid="codes-diff">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label="System"
          data={DIFF_SYSTEMS.map((value) => ({ value, label: SYSTEM_LABEL[value] }))}
          value={system}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (value === 'icd10cm' || value === 'icd10pcs') setSystem(value);
          }}
          data-testid="codes-diff-system"
          {...(active ? filterFieldProps : {})}
        />
        <NativeSelect
          label="From"
          data={selectData}
          value={from}
          disabled={options.length === 0}
          onChange={(event) => setFrom(event.currentTarget.value)}
          data-testid="codes-diff-from"
        />
        <NativeSelect
          label="To"
          data={selectData}
          value={to}
          disabled={options.length === 0}
          onChange={(event) => setTo(event.currentTarget.value)}
          data-testid="codes-diff-to"
        />
      </Group>

      {options.length < 2 ? (
        <Text c="dimmed" data-testid="codes-diff-unavailable">
          {options.length === 0
            ? `No ${SYSTEM_LABEL[system]} release is loaded.`
            : `Only one ${SYSTEM_LABEL[system]} release is loaded; import another to compare them.`}
        </Text>
      ) : from === to ? (
        <Text c="dimmed" data-testid="codes-diff-unavailable">
          Choose two different releases to compare.
        </Text>
      ) : (
        <>
          {!diff.loading && <ErrorAlert message={diff.error} testId="codes-diff-error" />}
          {diff.data && !(diff.error && !diff.loading) ? (
            <div aria-busy={diff.loading} style={{ opacity: diff.loading ? 0.6 : 1 }}>
              <DiffResult diff={diff.data} />
            </div>
          ) : (
            diff.loading && <PageLoader />
          )}
        </>
      )}
    </Stack>
  );
}

function DiffResult({ diff }: { diff: CodeDiff }) {
  const lists = useMemo(() => listsOf(diff), [diff]);
  const [list, setList] = useState<ListKey>('added');
  const [filter, setFilter] = useState('');
  const [needle] = useDebouncedValue(filter.trim().toLowerCase(), 150);

  const counts: { key: ListKey; label: string; value: number }[] = LISTS.map(({ value, label }) => ({ key: value, label, value: lists[value].length }));

  return (
    <Stack gap="md">
      <Text size="sm" data-testid="codes-diff-versions">
        From <strong>{diff.from}</strong> to <strong>{diff.to}</strong>
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm" data-testid="codes-diff-counts">
        {counts.map((count) => (
          <Paper key={count.key} withBorder p="sm" radius="sm" data-testid="codes-diff-count" data-kind={count.key}>
            <Text size="xs" c="dimmed">
              {count.label}
            </Text>
            <Text size="xl" fw={700}>
              {count.value.toLocaleString()}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Reconciliation reconciliation={diff.reconciliation ?? null} />
      <Group align="flex-end" gap="sm" wrap="wrap">
        <SegmentedControl
          data={LISTS.map(({ value, label }) => ({ value, label: `${label} (${lists[value].length.toLocaleString()})` }))}
          value={list}
          onChange={setList}
          data-testid="codes-diff-list"
        />
        <TextInput
          label="Filter the list"
          placeholder="Code or words of the title"
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          data-testid="codes-diff-filter"
          style={{ flex: '1 1 220px' }}
        />
      </Group>
      <ChangeList kind={list} lists={lists} needle={needle} />
    </Stack>
  );
}

function Reconciliation({ reconciliation }: { reconciliation: CodeDiff['reconciliation'] | null }) {
  if (!reconciliation) {
    return (
      <Text size="sm" c="dimmed" data-testid="codes-diff-reconciliation" data-matches="none">
        No CMS addenda are loaded for the “to” release, so there is nothing to reconcile with.
      </Text>
    );
  }
  const rows: { key: keyof ChangeCounts; label: string }[] = [
    { key: 'added', label: 'Added' },
    { key: 'deleted', label: 'Deleted' },
    { key: 'revised', label: 'Revised' },
  ];
  const { addenda, computed, matches } = reconciliation;
  return (
    <Alert
      color={matches ? 'green' : 'orange'}
      variant="light"
      title={matches ? 'Matches the CMS addenda' : 'Does not match the CMS addenda'}
      data-testid="codes-diff-reconciliation"
      data-matches={matches ? 'true' : 'false'}
    >
      <Stack gap="xs">
        <Text size="sm">
          The addenda count a change between billable and header as a deletion plus an addition; the computed counts
          below do the same.
        </Text>
        <Table fz="sm" withTableBorder maw={420}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th style={{ textAlign: 'right' }}>CMS addenda</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>Computed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const a = addenda?.[row.key];
              const c = computed?.[row.key];
              return (
                <Table.Tr key={row.key} data-testid="codes-diff-reconciliation-row" data-kind={row.key}>
                  <Table.Td>{row.label}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{typeof a === 'number' ? a.toLocaleString() : '—'}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    {typeof c === 'number' ? c.toLocaleString() : '—'}
                    {typeof a === 'number' && typeof c === 'number' && a !== c && (
                      <Badge color="orange" size="xs" ml={6} tt="none">
                        {c > a ? '+' : ''}
                        {(c - a).toLocaleString()}
                      </Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Alert>
  );
}

function ChangeList({ kind, lists, needle }: { kind: ListKey; lists: Lists; needle: string }) {
  const revised = kind === 'revised';
  const all: { code: string; title: string; from?: string }[] = revised
    ? lists.revised.map((r) => ({ code: r.code, title: r.to, from: r.from }))
    : lists[kind];
  const matching = needle
    ? all.filter((row) => `${row.code} ${row.code.replace('.', '')} ${row.title} ${row.from ?? ''}`.toLowerCase().includes(needle))
    : all;
  const shown = matching.slice(0, LIST_CAP);

  if (all.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="codes-diff-list-empty">
        None.
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed" data-testid={matching.length > LIST_CAP ? 'codes-diff-capped' : 'codes-diff-shown'} aria-live="polite">
        {matching.length > LIST_CAP
          ? `Showing the first ${LIST_CAP.toLocaleString()} of ${matching.length.toLocaleString()} codes — filter to narrow the list.`
          : matching.length === 0
            ? 'No code in this list matches the filter.'
            : `${matching.length.toLocaleString()} ${matching.length === 1 ? 'code' : 'codes'}`}
      </Text>
      {shown.length > 0 && (
        <Table.ScrollContainer minWidth={560} maxHeight="60vh">
          <Table striped stickyHeader verticalSpacing={4} fz="sm" data-testid="codes-diff-table" data-kind={kind}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Code</Table.Th>
                {revised && <Table.Th>Old title</Table.Th>}
                <Table.Th>{revised ? 'New title' : 'Title'}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((row) => (
                <Table.Tr key={row.code} data-testid="codes-diff-row" data-code={row.code}>
                  <Table.Td ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {row.code}
                  </Table.Td>
                  {revised && <Table.Td c="dimmed">{row.from}</Table.Td>}
                  <Table.Td>{row.title}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
