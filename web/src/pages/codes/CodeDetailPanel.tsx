import { Anchor, Badge, Box, Button, CloseButton, Group, Kbd, List, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResource } from '../../components/useResource';
import { systemLabel, type CodeDetail, type DetailTarget, type CodeNote, type CodeRelease, type CodeSystem } from './types';
import { VersionLabel, VersionNotice } from './VersionInfo';

/** Tabular-list note kinds in the order a coder reads them. */
const NOTE_KINDS: { kind: string; label: string }[] = [
  { kind: 'excludes1', label: 'Excludes1' },
  { kind: 'excludes2', label: 'Excludes2' },
  { kind: 'codeFirst', label: 'Code first' },
  { kind: 'useAdditionalCode', label: 'Use additional code' },
  { kind: 'codeAlso', label: 'Code also' },
  { kind: 'includes', label: 'Includes' },
  { kind: 'inclusionTerm', label: 'Inclusion terms' },
  { kind: 'notes', label: 'Notes' },
];

interface NoteGroup {
  kind: string;
  label: string;
  notes: CodeNote[];
}

function groupNotes(notes: CodeNote[]): NoteGroup[] {
  const known = new Set(NOTE_KINDS.map((k) => k.kind));
  const groups = NOTE_KINDS.map(({ kind, label }) => ({ kind, label, notes: notes.filter((n) => n.kind === kind) }));
  const others = [...new Set(notes.map((n) => n.kind).filter((kind) => !known.has(kind)))];
  for (const kind of others) groups.push({ kind, label: words(kind), notes: notes.filter((n) => n.kind === kind) });
  return groups.filter((g) => g.notes.length > 0);
}

/** camelCase or snake_case → "Sentence case words". */
function words(key: string): string {
  const text = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The plain fields of `extra` (HCPCS dates and action code), left out when empty. */
function extraFields(extra: unknown): [string, string][] {
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) return [];
  const fields: [string, string][] = [];
  for (const [key, value] of Object.entries(extra as Record<string, unknown>)) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields.push([words(key), String(value)]);
  }
  return fields;
}

interface CodeDetailPanelProps {
  target: DetailTarget | null;
  date: string;
  releases: CodeRelease[] | null;
  onOpen: (code: string) => void;
  /** Left out where there is nothing to validate with: the detail then offers no "Validate this code". */
  onValidate?: (system: CodeSystem, code: string) => void;
  onClose: () => void;
}

export function CodeDetailPanel({ target, date, releases, onOpen, onValidate, onClose }: CodeDetailPanelProps) {
  const key = target ? `${target.system}/${target.code}?${date}` : '';
  const detail = useResource<CodeDetail | null>(key, (signal) =>
    target
      ? api.get<CodeDetail>(`/api/codes/${encodeURIComponent(target.system)}/${encodeURIComponent(target.code)}${queryString({ date })}`, { signal })
      : Promise.resolve(null),
  );

  const frame = (children: ReactNode, testId: string, busy = false) => (
    <Paper
      // Scrollable when long: a tab stop, so the keyboard can scroll it too.
      tabIndex={testId === 'codes-detail' ? 0 : undefined}
      withBorder
      p="md"
      radius="sm"
      component="section"
      aria-label="Code detail"
      aria-busy={busy}
      data-testid={testId}
      style={{
        position: 'sticky',
        top: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-md))',
        maxHeight: 'calc(100vh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-md))',
        overflowY: 'auto',
      }}
    >
      {children}
    </Paper>
  );

  if (!target) {
    return frame(
      <Text size="sm" c="dimmed">
        Choose a code with <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> and press <Kbd size="xs">Enter</Kbd> (or click it) to see its detail here.
      </Text>,
      'codes-detail-empty',
    );
  }
  if (detail.error && !detail.loading) {
    return frame(
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Text ff="monospace" fw={700}>
            {target.code}
          </Text>
          <CloseButton aria-label="Close the detail" onClick={onClose} data-testid="codes-detail-close" />
        </Group>
        <ErrorAlert message={detail.error} testId="codes-detail-error" />
      </Stack>,
      'codes-detail-failed',
    );
  }
  const data = detail.data;
  if (!data) return frame(<Loader size="sm" aria-label="Loading the code" />, 'codes-detail-loading', true);
  return frame(
    <DetailBody
      data={data}
      releases={releases}
      onOpen={onOpen}
      onValidate={onValidate ? () => onValidate(target.system, data.code) : undefined}
      onClose={onClose}
      stale={detail.loading}
    />,
    'codes-detail',
    detail.loading,
  );
}

interface DetailBodyProps {
  data: CodeDetail;
  releases: CodeRelease[] | null;
  onOpen: (code: string) => void;
  onValidate?: () => void;
  onClose: () => void;
  stale: boolean;
}

function DetailBody({ data, releases, onOpen, onValidate, onClose, stale }: DetailBodyProps) {
  const ancestors = Array.isArray(data.ancestors) ? data.ancestors : [];
  const blocks = Array.isArray(data.blocks) ? data.blocks : data.block ? [data.block] : [];
  const outlineDepth = (data.chapter ? 1 : 0) + blocks.length;
  const notes = Array.isArray(data.notes) ? data.notes : [];
  const paths = Array.isArray(data.indexPaths) ? data.indexPaths.filter(Array.isArray) : [];
  const tableRows = Array.isArray(data.tableRows) ? data.tableRows.filter((r) => r && Array.isArray(r.path)) : [];
  const versions = data.version ? [data.version] : [];
  const release = data.version ? releases?.find((r) => r.system === data.system && r.label === data.version?.label) : undefined;
  const groups = groupNotes(notes);
  const extra = extraFields(data.extra);

  return (
    <Stack gap="sm" data-code={data.code} data-system={data.system} style={{ opacity: stale ? 0.6 : 1 }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs" wrap="wrap">
            <Title order={3} ff="monospace" data-testid="codes-detail-code">
              {data.code}
            </Title>
            <Badge variant="light" tt="none">
              {systemLabel(data.system)}
            </Badge>
          </Group>
          <Text fw={600} data-testid="codes-detail-title">
            {data.title}
          </Text>
          {data.shortTitle && data.shortTitle !== data.title && (
            <Text size="xs" c="dimmed">
              Short title: {data.shortTitle}
            </Text>
          )}
        </Stack>
        <CloseButton aria-label="Close the detail" onClick={onClose} data-testid="codes-detail-close" />
      </Group>

      <Group gap="xs" wrap="wrap">
        {data.billable ? (
          <Badge color="green" variant="filled" tt="none" data-testid="codes-detail-billable">
            Billable
          </Badge>
        ) : (
          <Badge color="gray" variant="filled" tt="none" data-testid="codes-detail-billable">
            Header — not billable
          </Badge>
        )}
        <Badge color={data.poaExempt ? 'teal' : 'gray'} variant="light" tt="none" data-testid="codes-detail-poa">
          {data.poaExempt === null || data.poaExempt === undefined
            ? 'POA exempt: not known for this version'
            : data.poaExempt
              ? 'POA exempt'
              : 'POA required (not exempt)'}
        </Badge>
        {onValidate && (
          <Button size="compact-xs" variant="subtle" onClick={onValidate} data-testid="codes-detail-validate">
            Validate this code
          </Button>
        )}
      </Group>

      <VersionLabel versions={versions} testId="codes-detail-version" placeholder="—" />
      <VersionNotice versions={versions} testId="codes-detail-notice" />

      <Section title="Hierarchy">
        <Stack gap={2} data-testid="codes-detail-hierarchy" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {data.chapter && (
            <Box component="li" data-testid="codes-detail-chapter">
              <Text span size="sm" c="dimmed">
                Chapter {data.chapter.num}
              </Text>{' '}
              <Text span size="sm">
                {data.chapter.title} ({data.chapter.range})
              </Text>
            </Box>
          )}
          {blocks.map((block, depth) => (
            <Box component="li" key={block.id} pl={((data.chapter ? 1 : 0) + depth) * 12} data-testid="codes-detail-block" data-block={block.id}>
              <Text span size="sm" c="dimmed">
                Block {block.id}
              </Text>{' '}
              <Text span size="sm">
                {block.title}
              </Text>
            </Box>
          ))}
          {ancestors.map((ancestor, depth) => (
            <Box component="li" key={ancestor.code} pl={(depth + outlineDepth) * 12} data-testid="codes-detail-ancestor" data-code={ancestor.code}>
              <Anchor component="button" type="button" ff="monospace" size="sm" fw={600} onClick={() => onOpen(ancestor.code)}>
                {ancestor.code}
              </Anchor>{' '}
              <Text span size="sm">
                {ancestor.title}
              </Text>
            </Box>
          ))}
          <Box component="li" pl={(ancestors.length + outlineDepth) * 12} aria-current="true">
            <Text span ff="monospace" size="sm" fw={700}>
              {data.code}
            </Text>{' '}
            <Text span size="sm" fw={600}>
              {data.title}
            </Text>
          </Box>
        </Stack>
        {data.outlineFrom && data.outlineFrom !== data.version?.label && (
          <Text size="xs" c="dimmed" data-testid="codes-detail-outline-from">
            Chapter and block from the {data.outlineFrom}
          </Text>
        )}
      </Section>

      <Section title="Notes">
        {groups.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="codes-detail-notes-unavailable">
            {release?.hasNotes ? `No instructional notes for this code in ${release.label}.` : 'Notes unavailable for this version.'}
          </Text>
        ) : (
          <Stack gap="xs" data-testid="codes-detail-notes">
            {data.notesFrom && (
              <Text size="xs" c="dimmed" data-testid="codes-detail-notes-from">
                From {data.notesFrom}
              </Text>
            )}
            {groups.map((group) => (
              <Box key={group.kind} data-testid="codes-detail-note-group" data-kind={group.kind}>
                <Text size="sm" fw={700}>
                  {group.label}
                </Text>
                <List size="sm" spacing={2}>
                  {group.notes.map((note, index) => (
                    <List.Item key={`${note.code}-${index}`} data-testid="codes-detail-note">
                      {note.text}
                      {note.code && note.code !== data.code && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          (at {note.code})
                        </Text>
                      )}
                    </List.Item>
                  ))}
                </List>
              </Box>
            ))}
          </Stack>
        )}
      </Section>

      <Section title="Alphabetic index">
        {paths.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="codes-detail-index-empty">
            No index entries loaded for this code.
          </Text>
        ) : (
          <List size="sm" spacing={2} data-testid="codes-detail-index">
            {data.indexFrom && (
              <Text size="xs" c="dimmed" data-testid="codes-detail-index-from">
                From the {data.indexFrom}
              </Text>
            )}
            {paths.map((path, index) => (
              <List.Item key={index} data-testid="codes-detail-index-path">
                {path.join(' › ')}
              </List.Item>
            ))}
          </List>
        )}
      </Section>

      {tableRows.length > 0 && (
        <Section title="Drug, neoplasm and external-cause tables">
          <List size="sm" spacing={2} data-testid="codes-detail-tables">
            {data.tablesFrom && (
              <Text size="xs" c="dimmed" data-testid="codes-detail-tables-from">
                From the {data.tablesFrom}
              </Text>
            )}
            {tableRows.map((row, index) => (
              <List.Item key={index} data-testid="codes-detail-table-row">
                <Text span size="xs" c="dimmed">
                  {row.table}:
                </Text>{' '}
                {row.path.join(' › ')}
                {row.code !== data.code && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    → {row.code}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Section>
      )}

      {extra.length > 0 && (
        <Section title="Release details">
          <Stack gap={2} data-testid="codes-detail-extra">
            {extra.map(([label, value]) => (
              <Text size="sm" key={label}>
                <Text span c="dimmed" size="sm">
                  {label}:
                </Text>{' '}
                {value}
              </Text>
            ))}
          </Stack>
        </Section>
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4} component="section">
      <Title order={5}>{title}</Title>
      {children}
    </Stack>
  );
}
