// Patient search: one box (a name, an MRN, or "name birth-date"), birth date and SSN-last-4 beside it; results
// as you type. ↑/↓ move through the results from any of the fields and Enter opens the patient.
import { Anchor, Button, Grid, Group, Kbd, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorMessage, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { filterFieldProps } from '../../components/shortcuts';
import { Link, navigate, useLocation } from '../../router';
import { useSignedIn } from '../../session';
import { displayName, parseDate, parseSearchBox, sexLabel } from './format';
import type { Items, SearchItem } from './types';

const DEBOUNCE_MS = 200;

interface Answer {
  key: string;
  items: SearchItem[] | null;
  error: string | null;
}

function paramsOf(box: string, dob: string, ssn4: string): Record<string, string> | { problem: string } | null {
  const parsed = parseSearchBox(box);
  const birthDate = dob.trim() ? parseDate(dob) : parsed.birthDate || null;
  if (dob.trim() && !birthDate) return { problem: 'Birth date: type YYYY-MM-DD or MM/DD/YYYY.' };
  const last4 = ssn4.trim();
  if (last4 && !/^\d{4}$/.test(last4)) return { problem: 'SSN: the last 4 digits.' };
  if (!parsed.name && !parsed.mrn && !birthDate) return last4 ? { problem: 'SSN last 4 alone is too broad: add a name or birth date.' } : null;
  const out: Record<string, string> = {};
  if (parsed.name) out.name = parsed.name;
  if (parsed.mrn) out.mrn = parsed.mrn;
  if (birthDate) out.birthDate = birthDate;
  if (last4) out.ssn4 = last4;
  return out;
}

export default function PatientSearchPage() {
  useDocumentTitle('Patients · Chartroom');
  const session = useSignedIn();
  const mayRegister = session.permissions.includes('write:demographics');
  const { search } = useLocation();
  const initial = new URLSearchParams(search);
  const [box, setBox] = useState(initial.get('q') ?? '');
  const [dob, setDob] = useState(initial.get('dob') ?? '');
  const [ssn4, setSsn4] = useState(initial.get('ssn4') ?? '');
  const params = paramsOf(box, dob, ssn4);
  const key = params === null ? '' : JSON.stringify(params);
  const [debounced] = useDebouncedValue(key, DEBOUNCE_MS);
  const [answer, setAnswer] = useState<Answer>({ key: '', items: null, error: null });
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const pendingOpen = useRef<string | null>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);

  const open = (item: SearchItem | undefined) => {
    if (item) navigate(`/patients/${item.id}`);
  };

  // The URL keeps the question, so Back from a patient returns to the same results.
  useEffect(() => {
    const next = `/patients${queryString({ q: box.trim(), dob: dob.trim(), ssn4: ssn4.trim() })}`;
    if (next !== `${window.location.pathname}${window.location.search}`) navigate(next, { replace: true });
  }, [debounced]);

  useEffect(() => {
    if (!debounced) {
      setAnswer({ key: '', items: null, error: null });
      return;
    }
    const q = JSON.parse(debounced) as Record<string, string> | { problem: string };
    if ('problem' in q) {
      setAnswer({ key: debounced, items: null, error: q.problem });
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    api.get<Items<SearchItem>>(`/api/patients${queryString({ ...q, limit: 25 })}`, { signal: controller.signal }).then(
      (result) => {
        if (controller.signal.aborted) return;
        setAnswer({ key: debounced, items: result.items, error: null });
        setSelected(0);
        setLoading(false);
        // Enter was pressed for this question before its answer: open the first hit now. (An answer to an older
        // question leaves a pending Enter for a newer one alone.)
        if (pendingOpen.current === debounced) {
          pendingOpen.current = null;
          open(result.items[0]);
        }
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setAnswer({ key: debounced, items: null, error: errorMessage(error) });
        setLoading(false);
        if (pendingOpen.current === debounced) pendingOpen.current = null;
      },
    );
    return () => controller.abort();
  }, [debounced]);

  const items = answer.items ?? [];
  const fresh = answer.key === key;

  useEffect(() => {
    tableRef.current?.querySelector(`[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setSelected((i) => Math.min(i + 1, Math.max(items.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (fresh && items.length > 0) open(items[selected]);
      else if (key) pendingOpen.current = key;
    }
  };

  return (
    <Stack data-testid="patients-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Patients</Title>
        {mayRegister && (
          <Button component={Link} href="/patients/new" variant="light" data-testid="patients-register">
            Register a patient
          </Button>
        )}
      </Group>
      <Grid gap="sm" align="flex-end">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label="Name, MRN, or name and birth date"
            placeholder="okafor ada 05/04/1971"
            value={box}
            onChange={(event) => setBox(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            data-testid="patients-search"
            aria-controls="patients-results"
            aria-activedescendant={items.length > 0 ? `patients-row-${selected}` : undefined}
            rightSection={loading ? <Loader size="xs" /> : null}
            {...filterFieldProps}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label="Birth date" placeholder="MM/DD/YYYY" value={dob} onChange={(event) => setDob(event.currentTarget.value)} onKeyDown={onKeyDown} autoComplete="off" data-testid="patients-dob" />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <TextInput label="SSN last 4" value={ssn4} maxLength={4} inputMode="numeric" onChange={(event) => setSsn4(event.currentTarget.value)} onKeyDown={onKeyDown} autoComplete="off" data-testid="patients-ssn4" />
        </Grid.Col>
      </Grid>
      <ErrorAlert message={answer.error} testId="patients-error" />
      {answer.items === null && !answer.error && (
        <Text size="sm" c="dimmed">
          Type to search. <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose, <Kbd size="xs">Enter</Kbd> opens. Typos, nicknames and swapped names are found.
        </Text>
      )}
      {answer.items !== null && items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="patients-none">
          No patient matches.{mayRegister ? ' Register one if the patient is new.' : ''}
        </Text>
      )}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing={6} fz="sm" data-testid="patients-results" id="patients-results" style={{ opacity: fresh ? 1 : 0.6 }} aria-busy={!fresh}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>MRN</Table.Th>
              <Table.Th>Birth date</Table.Th>
              <Table.Th>Sex</Table.Th>
              <Table.Th>ZIP</Table.Th>
              <Table.Th>SSN</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ref={tableRef}>
            {items.map((item, index) => {
              const isSelected = index === selected;
              return (
                <Table.Tr
                  key={item.id}
                  id={`patients-row-${index}`}
                  data-index={index}
                  data-testid="patients-row"
                  data-patient-id={item.id}
                  data-mrn={item.mrn}
                  aria-selected={isSelected}
                  data-selected={isSelected ? 'true' : undefined}
                  onClick={(event) => {
                    if (!event.defaultPrevented) open(item);
                  }}
                  style={{
                    cursor: 'pointer',
                    background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                    boxShadow: isSelected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                  }}
                >
                  <Table.Td>
                    <Anchor component={Link} href={`/patients/${item.id}`} fw={600} size="sm" tabIndex={-1} data-testid="patients-row-name">
                      {displayName(item.name)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace">{item.mrn}</Table.Td>
                  <Table.Td>{item.birthDate ?? ''}</Table.Td>
                  <Table.Td>{sexLabel(item.sex)}</Table.Td>
                  <Table.Td>{item.postalCode ?? ''}</Table.Td>
                  <Table.Td ff="monospace">{item.ssn ?? ''}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
