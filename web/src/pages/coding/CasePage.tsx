// One encounter's abstract: header, the coded abstract (encoder in every code field), the working DRG and edits
// re-evaluated ~300 ms after the coder stops typing, what-if, the physician queries, the version history.
// Ctrl+S saves in progress.
import { Alert, Anchor, Badge, Button, Grid, Group, Modal, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ConfirmModal, type ConfirmRequest } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../components/format';
import { PageLoader } from '../../components/PageLoader';
import { Link, useLocation } from '../../router';
import { useSignedIn } from '../../session';
import { AbstractForm } from './AbstractForm';
import { DrgPanel } from './DrgPanel';
import { STATUS_LABEL, patientName, sendable } from './format';
import { QueryTab } from './QueryTab';
import type { Abstract, CodingCase, Evaluation } from './types';
import { WhatIfPanel } from './WhatIfPanel';

const EVALUATE_DEBOUNCE_MS = 300;

type SaveStatus = 'in_progress' | 'coded' | 'final';

export default function CasePage() {
  const { pathname } = useLocation();
  const id = decodeURIComponent(pathname.split('/')[3] ?? '');
  const [kase, setKase] = useState<CodingCase | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [tab, setTab] = useState<string | null>('abstract');

  useEffect(() => {
    const controller = new AbortController();
    setLoadError(null);
    api.get<CodingCase>(`/api/coding/cases/${encodeURIComponent(id)}`, { signal: controller.signal }).then(
      (value) => {
        if (!controller.signal.aborted) setKase(value);
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoadError(errorMessage(error));
      },
    );
    return () => controller.abort();
  }, [id, generation]);

  if (loadError) return <ErrorAlert message={loadError} testId="case-error" />;
  if (!kase || kase.encounterId !== id) return <PageLoader />;
    // A new version (saved, re-opened) starts the form again from the server's abstract; a status change alone
  // (a query sent) keeps what the coder has typed.
  return <CaseView key={`${kase.encounterId}:${kase.version}`} kase={kase} onChanged={setKase} reload={() => setGeneration((g) => g + 1)} tab={tab} setTab={setTab} />;
}

interface CaseViewProps {
  kase: CodingCase;
  onChanged: (c: CodingCase) => void;
  reload: () => void;
  tab: string | null;
  setTab: (tab: string | null) => void;
}

function CaseView({ kase, onChanged, reload, tab, setTab }: CaseViewProps) {
  const session = useSignedIn();
  const mayWrite = session.permissions.includes('write:coding');
  useDocumentTitle(`${kase.encounter.accountNumber} · Coding · Chartroom`);
  const [abstract, setAbstract] = useState<Abstract>(kase.abstract);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(kase.evaluation);
  const [evaluating, setEvaluating] = useState(false);
  const [evalError, setEvalError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [reopenOpen, setReopenOpen] = useState(false);
  const locked = kase.locked || !mayWrite;
  const date = kase.encounter.dischargeAt?.slice(0, 10) ?? null;

  const body = useMemo(() => JSON.stringify(sendable(abstract)), [abstract]);
  const [debounced] = useDebouncedValue(body, EVALUATE_DEBOUNCE_MS);
  const firstBody = useRef(body);

  useEffect(() => {
    if (debounced === firstBody.current) return;
    firstBody.current = '';
    const controller = new AbortController();
    setEvaluating(true);
    api.post<Evaluation>(`/api/coding/cases/${encodeURIComponent(kase.encounterId)}/evaluate`, { abstract: JSON.parse(debounced) as Abstract }, { signal: controller.signal }).then(
      (value) => {
        if (controller.signal.aborted) return;
        setEvaluation(value);
        setEvalError(null);
        setEvaluating(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setEvalError(errorMessage(error));
        setEvaluating(false);
      },
    );
    return () => controller.abort();
  }, [debounced, kase.encounterId]);

  const save = async (status: SaveStatus) => {
    setBusy(true);
    setSaveError(null);
    try {
      const next = await api.put<CodingCase>(`/api/coding/cases/${encodeURIComponent(kase.encounterId)}/abstract`, { abstract: sendable(abstract), status, version: kase.version });
      onChanged(next);
    } catch (error) {
      setSaveError(errorMessage(error));
      setBusy(false);
      throw error;
    }
  };

  const trySave = (status: SaveStatus) => void save(status).catch(() => undefined);

  const latestSave = useRef(trySave);
  latestSave.current = trySave;
  useEffect(() => {
    if (locked) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        latestSave.current('in_progress');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [locked]);

  const p = kase.patient;
  const e = kase.encounter;
  const latest = kase.versions[0];

  return (
    <Stack data-testid="case-page" data-status={kase.status} data-version={kase.version}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Anchor component={Link} href="/coding" size="sm">
              ← DNFB work list
            </Anchor>
          </Group>
          <Title order={2} data-testid="case-patient">
            {patientName(p)}
          </Title>
          <Text size="sm" c="dimmed" data-testid="case-header">
            MRN {p.mrn} · {p.age} y · {p.sex ?? '—'} · account {e.accountNumber} · {e.class} · admitted {e.admitAt?.slice(0, 10) ?? '—'} · discharged {e.dischargeAt?.slice(0, 10) ?? '—'}
            {e.lengthOfStayDays !== null ? ` · LOS ${e.lengthOfStayDays} d` : ''}
            {e.dischargeDispositionLabel ? ` · ${e.dischargeDispositionLabel}` : ''}
            {e.payer ? ` · ${e.payer}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge size="lg" variant="light" color={kase.status === 'final' ? 'green' : kase.status === 'on_hold' ? 'yellow' : 'gray'} data-testid="case-status">
            {STATUS_LABEL[kase.status]}
          </Badge>
          <Text size="sm" c="dimmed">
            v{kase.version}
          </Text>
        </Group>
      </Group>
      {kase.locked && (
        <Alert color="green" variant="light" p="xs" data-testid="case-locked">
          Final and locked{latest ? ` (v${latest.version}, ${formatDateTime(latest.savedAt)} by ${latest.savedBy ?? '—'})` : ''}. Re-open it with a reason to change it.
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="abstract" data-testid="case-tab-abstract">
            Abstract
          </Tabs.Tab>
          <Tabs.Tab value="queries" data-testid="case-tab-queries">
            Queries
          </Tabs.Tab>
          <Tabs.Tab value="versions" data-testid="case-tab-versions">
            Versions ({kase.versions.length})
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="abstract">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack>
                <AbstractForm value={abstract} onChange={setAbstract} evaluation={evaluation} date={date} locked={locked} />
                <ErrorAlert message={saveError} testId="case-save-error" />
                {mayWrite && (
                  <Group gap="xs">
                    {!kase.locked && (
                      <>
                        <Button onClick={() => trySave('in_progress')} loading={busy} variant="default" data-testid="case-save">
                          Save
                        </Button>
                        <Button onClick={() => trySave('coded')} loading={busy} variant="light" data-testid="case-coded">
                          Mark coded
                        </Button>
                        <Button
                          onClick={() =>
                            setConfirm({
                              title: 'Final-code this abstract?',
                              message: 'The abstract is locked when final; changing it later needs a re-open with a reason, which is audited.',
                              confirmLabel: 'Final',
                              run: () => save('final'),
                            })
                          }
                          loading={busy}
                          data-testid="case-final"
                        >
                          Final…
                        </Button>
                        <Text size="xs" c="dimmed">
                          Ctrl+S saves
                        </Text>
                      </>
                    )}
                    {kase.locked && (
                      <Button variant="light" color="orange" onClick={() => setReopenOpen(true)} data-testid="case-reopen">
                        Re-open…
                      </Button>
                    )}
                  </Group>
                )}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack>
                <DrgPanel evaluation={evaluation} loading={evaluating} error={evalError} />
                <WhatIfPanel encounterId={kase.encounterId} abstract={abstract} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="queries">
          <QueryTab encounterId={kase.encounterId} locked={!mayWrite} onSent={reload} />
        </Tabs.Panel>
        <Tabs.Panel value="versions">
          <Table fz="sm" data-testid="case-versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Saved</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kase.versions.map((v) => (
                <Table.Tr key={v.version}>
                  <Table.Td>v{v.version}</Table.Td>
                  <Table.Td>{formatDateTime(v.savedAt)}</Table.Td>
                  <Table.Td>{v.savedBy ?? '—'}</Table.Td>
                  <Table.Td>{v.status}</Table.Td>
                  <Table.Td>{v.reason ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} />
      <ReopenModal opened={reopenOpen} onClose={() => setReopenOpen(false)} encounterId={kase.encounterId} onDone={onChanged} />
    </Stack>
  );
}

function ReopenModal({ opened, onClose, encounterId, onDone }: { opened: boolean; onClose: () => void; encounterId: string; onDone: (c: CodingCase) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<CodingCase>(`/api/coding/cases/${encodeURIComponent(encounterId)}/reopen`, { reason: reason.trim() });
      onClose();
      onDone(next);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Re-open the final abstract">
      <Stack>
        <TextInput
          label="Reason (kept with the version history and audited)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-autofocus
          data-testid="reopen-reason"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && reason.trim().length >= 5) void run();
          }}
        />
        <ErrorAlert message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="orange" onClick={() => void run()} loading={busy} disabled={reason.trim().length < 5} data-testid="reopen-confirm">
            Re-open
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
