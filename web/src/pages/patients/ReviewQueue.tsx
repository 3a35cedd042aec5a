// The duplicate work list: pairs best-first on the left; the chosen pair side by side with the waterfall of its
// score on the right; decisions Match (merge into the chosen survivor, after a confirmation), Not a match and
// Overlay, with a note. Keys: j/k or ↓/↑ move, s swaps the survivor, m / n / o decide, "." focuses the note.
import { Alert, Badge, Box, Button, Card, Grid, Group, Kbd, Paper, Radio, ScrollArea, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ConfirmModal, type ConfirmRequest } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { displayName } from './format';
import { PairCompare } from './PairCompare';
import type { Candidate, Items } from './types';
import { Waterfall } from './Waterfall';

type Decision = 'match' | 'not_match' | 'overlay';

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The default survivor: the older record (the lower MRN, as MRNs are issued in order). */
function olderOf(c: Candidate): string {
  return c.a.mrn.localeCompare(c.b.mrn, undefined, { numeric: true }) <= 0 ? c.a.id : c.b.id;
}

export function ReviewQueue({ active }: { active: boolean }) {
  const list = useResource('candidates', (signal) => api.get<Items<Candidate>>('/api/mpi/candidates?status=open', { signal }));
  const items = list.data?.items ?? [];
  const [index, setIndex] = useState(0);
  const [survivor, setSurvivor] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const current = items[Math.min(index, items.length - 1)] ?? null;
  const survivorId = current ? (survivor && [current.a.id, current.b.id].includes(survivor) ? survivor : olderOf(current)) : null;

  useEffect(() => {
    setSurvivor(null);
    setNote('');
    setError(null);
  }, [current?.id]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [index]);
  useEffect(() => {
    if (items.length > 0 && index > items.length - 1) setIndex(items.length - 1);
  }, [items.length, index]);

  const send = async (c: Candidate, decision: Decision, survivorOf: string | null) => {
    const body = { decision, ...(note.trim() ? { note: note.trim() } : {}), ...(decision === 'match' && survivorOf ? { survivorId: survivorOf } : {}) };
    await api.post(`/api/mpi/candidates/${c.id}/decision`, body);
    const keep = survivorOf === c.a.id ? c.a : c.b;
    const gone = survivorOf === c.a.id ? c.b : c.a;
    setStatus(
      decision === 'match'
        ? `Merged MRN ${gone.mrn} into MRN ${keep.mrn}.`
        : decision === 'not_match'
          ? `MRN ${c.a.mrn} and MRN ${c.b.mrn}: not a match (the pair will not come back).`
          : `MRN ${c.a.mrn} and MRN ${c.b.mrn} flagged as an overlay.`,
    );
    list.reload();
  };

  const decide = (decision: Decision) => {
    if (!current || busy) return;
    setError(null);
    if (decision === 'match') {
      const keep = survivorId === current.a.id ? current.a : current.b;
      const gone = survivorId === current.a.id ? current.b : current.a;
      setConfirm({
        title: 'Merge these patients?',
        message: (
          <>
            Merge MRN <b>{gone.mrn}</b> ({displayName(gone.name)}) into MRN <b>{keep.mrn}</b> ({displayName(keep.name)}). Every encounter and document of MRN {gone.mrn} moves to MRN{' '}
            {keep.mrn}; the merge can be undone from the merge history.
          </>
        ),
        confirmLabel: `Merge MRN ${gone.mrn} into MRN ${keep.mrn}`,
        run: () => send(current, 'match', survivorId),
      });
      return;
    }
    setBusy(true);
    send(current, decision, null).then(
      () => setBusy(false),
      (caught: unknown) => {
        setError(errorMessage(caught));
        setBusy(false);
      },
    );
  };

  const latest = useRef({ decide, items, current });
  latest.current = { decide, items, current };
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('[role=dialog]')) return;
      const { decide: run, items: rows, current: c } = latest.current;
      const key = event.key;
      if (key === 'j' || key === 'ArrowDown') setIndex((i) => Math.min(i + 1, Math.max(rows.length - 1, 0)));
      else if (key === 'k' || key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
      else if (key === 'm') run('match');
      else if (key === 'n') run('not_match');
      else if (key === 'o') run('overlay');
      else if (key === 's' && c) setSurvivor((s) => ((s ?? olderOf(c)) === c.a.id ? c.b.id : c.a.id));
      else if (key === '.') noteRef.current?.focus();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active]);

  if (!list.data) {
    return (
      <Stack>
        <ErrorAlert message={list.error} testId="review-error" />
        {list.loading && <PageLoader />}
      </Stack>
    );
  }

  return (
    <Stack data-testid="review-queue">
      {status && (
        <Alert color="green" withCloseButton onClose={() => setStatus(null)} data-testid="review-status">
          {status}
        </Alert>
      )}
      <ErrorAlert message={list.error} />
      {items.length === 0 ? (
        <Text c="dimmed" data-testid="review-empty">
          The work list is empty: no open pairs.
        </Text>
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Text size="xs" c="dimmed" mb={4}>
              {items.length === 1 ? '1 open pair' : `${items.length} open pairs`}, best score first
            </Text>
            <Paper withBorder>
              <ScrollArea.Autosize mah="70vh" type="auto">
                <div ref={listRef} role="listbox" aria-label="Candidate pairs" data-testid="review-list">
                  {items.map((c, i) => {
                    const isSelected = c.id === current?.id;
                    return (
                      <Box
                        key={c.id}
                        role="option"
                        aria-selected={isSelected}
                        data-index={i}
                        data-testid="review-item"
                        data-candidate-id={c.id}
                        data-selected={isSelected ? 'true' : undefined}
                        px="sm"
                        py={6}
                        onClick={() => setIndex(i)}
                        style={{
                          cursor: 'pointer',
                          borderBottom: '1px solid var(--mantine-color-default-border)',
                          background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                          boxShadow: isSelected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                        }}
                      >
                        <Group justify="space-between" wrap="nowrap">
                          <Text size="sm" fw={600} truncate>
                            {displayName(c.a.name)}
                          </Text>
                          <Text size="sm" ff="monospace" fw={700}>
                            {c.score.toFixed(1)}
                          </Text>
                        </Group>
                        <Group justify="space-between" wrap="nowrap">
                          <Text size="sm" truncate>
                            {displayName(c.b.name)}
                          </Text>
                          <Badge size="xs" color={c.band === 'match' ? 'red' : 'orange'} variant="light">
                            {c.band}
                          </Badge>
                        </Group>
                      </Box>
                    );
                  })}
                </div>
              </ScrollArea.Autosize>
            </Paper>
            {current && (
              <div data-testid="review-decide" style={{ marginTop: 'var(--mantine-spacing-sm)' }}>
                <Card withBorder padding="sm">
                  <Stack gap="xs">
                    <Radio.Group label="Survivor (keeps its MRN; the other is merged into it)" value={survivorId ?? ''} onChange={setSurvivor}>
                      <Group mt={4}>
                        {[current.a, current.b].map((p) => (
                          <Radio key={p.id} value={p.id} label={`MRN ${p.mrn} ${displayName(p.name)}`} data-testid="review-survivor" data-mrn={p.mrn} />
                        ))}
                      </Group>
                    </Radio.Group>
                    <Textarea ref={noteRef} label="Note" placeholder="Why you decided so (kept with the decision)" value={note} onChange={(event) => setNote(event.currentTarget.value)} autosize minRows={1} data-testid="review-note" />
                    <ErrorAlert message={error} testId="review-decision-error" />
                    <Group gap="xs">
                      <Button color="red" size="compact-md" onClick={() => decide('match')} disabled={busy} data-testid="review-match">
                        Match… (m)
                      </Button>
                      <Button variant="default" size="compact-md" onClick={() => decide('not_match')} loading={busy} data-testid="review-not-match">
                        Not a match (n)
                      </Button>
                      <Button variant="default" size="compact-md" onClick={() => decide('overlay')} loading={busy} data-testid="review-overlay">
                        Overlay (o)
                      </Button>
                    </Group>
                  </Stack>
                </Card>
              </div>
            )}
            <Text size="xs" c="dimmed" mt="xs">
              <Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd> move · <Kbd size="xs">s</Kbd> swap survivor · <Kbd size="xs">m</Kbd> match · <Kbd size="xs">n</Kbd> not a match ·{' '}
              <Kbd size="xs">o</Kbd> overlay · <Kbd size="xs">.</Kbd> note
            </Text>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {current && (
              <Stack data-testid="review-pair" data-candidate-id={current.id}>
                <PairCompare a={current.a} b={current.b} />
                <Card withBorder padding="sm">
                  <Group justify="space-between" mb={4}>
                    <Title order={5}>Why the score is {current.score.toFixed(2)}</Title>
                    <Text size="xs" c="dimmed">
                      match weight, log2 odds
                    </Text>
                  </Group>
                  <Waterfall contributions={current.contributions} score={current.score} />
                </Card>
              </Stack>
            )}
          </Grid.Col>
        </Grid>
      )}
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} />
    </Stack>
  );
}
