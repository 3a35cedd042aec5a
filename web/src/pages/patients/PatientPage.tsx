// One patient: demographics (SSN masked) and identifiers, edit, the version history, encounters, and the merge
// history with Unmerge. "e" edits; the tabs follow the arrow keys.
import { Alert, Anchor, Badge, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { Link, useLocation } from '../../router';
import { useSignedIn } from '../../session';
import { PatientEncounters } from '../encounters/PatientEncounters';
import type { EncounterView } from '../encounters/types';
import { EditPatient } from './EditPatient';
import { displayName, sexLabel } from './format';
import { HistoryList } from './HistoryList';
import { MergeHistory } from './MergeHistory';
import { PatientDetails } from './PatientDetails';
import { PatientRef } from './PatientRef';
import type { HistoryItem, Items, MergeView, PatientView } from './types';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export default function PatientPage() {
  const { pathname } = useLocation();
  const id = decodeURIComponent(pathname.split('/')[2] ?? '');
  const session = useSignedIn();
  const mayWrite = session.permissions.includes('write:demographics');
  const [generation, setGeneration] = useState(0);
  const reload = () => setGeneration((g) => g + 1);
  const key = `${id}:${generation}`;
  const patient = useResource(`p:${key}`, (signal) => api.get<PatientView>(`/api/patients/${encodeURIComponent(id)}`, { signal }));
  const history = useResource(`h:${key}`, (signal) => api.get<Items<HistoryItem>>(`/api/patients/${encodeURIComponent(id)}/history`, { signal }));
  const encounters = useResource(`e:${key}`, (signal) => api.get<Items<EncounterView>>(`/api/patients/${encodeURIComponent(id)}/encounters`, { signal }));
  const merges = useResource(`m:${key}`, (signal) => api.get<Items<MergeView>>(`/api/patients/${encodeURIComponent(id)}/merges`, { signal }));
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState<string | null>('details');
  const [saved, setSaved] = useState<string | null>(null);
  const p = patient.data;
  useDocumentTitle(p ? `${displayName(p.name)} · Chartroom` : 'Patient · Chartroom');

  useEffect(() => {
    setEditing(false);
    setSaved(null);
  }, [id]);

  useEffect(() => {
    if (!mayWrite || editing || !p || p.status !== 'active') return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'e' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || document.querySelector('[role=dialog]')) return;
      event.preventDefault();
      setTab('details');
      setEditing(true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [mayWrite, editing, p]);

  if (!p) {
    return (
      <Stack data-testid="patient-page">
        <ErrorAlert message={patient.error} testId="patient-error" />
        {patient.loading && <PageLoader />}
      </Stack>
    );
  }

  const mergeItems = merges.data?.items ?? [];
  const encounterItems = encounters.data?.items ?? [];
  const historyItems = history.data?.items ?? [];

  return (
    <Stack data-testid="patient-page" data-patient-id={p.id} data-version={p.version}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2} data-testid="patient-name">
            {displayName(p.name)}
          </Title>
          <Group gap="sm">
            <Text size="sm">
              MRN{' '}
              <Text span ff="monospace" fw={700} data-testid="patient-mrn">
                {p.mrn}
              </Text>
            </Text>
            <Text size="sm" c="dimmed">
              {p.birthDate ?? 'No birth date'} · {sexLabel(p.sex)} · version {p.version}
            </Text>
            <Badge color={p.status === 'active' ? 'green' : 'gray'} variant="light" data-testid="patient-status" data-status={p.status}>
              {p.status === 'active' ? 'Active' : 'Merged'}
            </Badge>
          </Group>
        </Stack>
        <Group>
          <Anchor component={Link} href="/patients" size="sm">
            Back to search
          </Anchor>
          {mayWrite && p.status === 'active' && !editing && (
            <Button
              variant="light"
              onClick={() => {
                setTab('details');
                setEditing(true);
              }}
              data-testid="patient-edit-button"
            >
              Edit demographics
            </Button>
          )}
        </Group>
      </Group>
      {p.status === 'merged' && p.mergedInto && (
        <Alert color="gray" data-testid="patient-merged-notice">
          <Group gap={6}>
            <Text size="sm">This record was merged into</Text>
            <PatientRef id={p.mergedInto} />
            <Text size="sm">— its encounters and documents are there now.</Text>
          </Group>
        </Alert>
      )}
      {saved && (
        <Alert color="green" withCloseButton onClose={() => setSaved(null)} data-testid="patient-saved">
          {saved}
        </Alert>
      )}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="details" data-testid="patient-tab-details">
            Demographics
          </Tabs.Tab>
          <Tabs.Tab value="encounters" data-testid="patient-tab-encounters">
            Encounters ({encounterItems.length})
          </Tabs.Tab>
          <Tabs.Tab value="history" data-testid="patient-tab-history">
            History ({historyItems.length})
          </Tabs.Tab>
          <Tabs.Tab value="merges" data-testid="patient-tab-merges">
            Merges ({mergeItems.length})
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="details">
          {editing ? (
            <EditPatient
              patient={p}
              onCancel={() => setEditing(false)}
              onReload={() => {
                setEditing(false);
                reload();
              }}
              onSaved={(next) => {
                setEditing(false);
                setSaved(next.version === p.version ? 'Nothing changed.' : `Saved as version ${next.version}.`);
                reload();
              }}
            />
          ) : (
            <PatientDetails patient={p} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="encounters">
          <ErrorAlert message={encounters.error} />
          <PatientEncounters encounters={encounterItems} />
        </Tabs.Panel>
        <Tabs.Panel value="history">
          <ErrorAlert message={history.error} />
          <HistoryList items={historyItems} />
        </Tabs.Panel>
        <Tabs.Panel value="merges">
          <ErrorAlert message={merges.error} />
          <MergeHistory merges={mergeItems} patient={p} mayUnmerge={mayWrite} onChanged={reload} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
