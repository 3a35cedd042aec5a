// The tree browser: a code set level by level, as the tabular list reads. The categories come grouped by
// their first character (collapsed, so the ≈1,900 ICD-10-CM categories cost nothing until a letter is
// opened); a code's children are fetched when it is first expanded. Keyboard as in a file tree: ↑ ↓ move,
// → expands (or steps into the first child), ← collapses (or steps out to the parent), Enter opens the detail.
import { Badge, Button, Grid, Group, Kbd, Loader, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorMessage, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CodeDetailPanel } from './CodeDetailPanel';
import { CODE_SYSTEMS, SYSTEM_LABEL, isCodeSystem, type CodeRelease, type CodeSystem, type DetailTarget, type TreeAnswer, type TreeChild } from './types';
import { VersionLabel, VersionNotice } from './VersionInfo';
import { isIsoDate, today, versionsOn } from './versions';

/** Rows shown under one parent before a "Show more" (HCPCS and ICD-10-PCS have thousands of codes per letter). */
const PAGE = 300;

const SYSTEM_OPTIONS = CODE_SYSTEMS.map((value) => ({ value, label: SYSTEM_LABEL[value] }));

type Level = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ok'; answer: TreeAnswer };

/** A treeitem as shown: a first-character group (`g:E`) or a code (`c:E11`). */
interface Row {
  id: string;
  kind: 'group' | 'code';
  /** The code, or the group's character. */
  code: string;
  title: string;
  billable: boolean;
  /** Codes below (a group: its categories). */
  below: number;
  level: number;
  setSize: number;
  posInSet: number;
  parentId: string | null;
  expandable: boolean;
  expanded: boolean;
}

type Entry =
  | { type: 'item'; row: Row }
  | { type: 'status'; key: string; level: number; error: string | null }
  | { type: 'more'; key: string; level: number; parentId: string; shown: number; total: number };

function normalise(raw: TreeAnswer | null | undefined): TreeAnswer {
  return {
    system: raw?.system ?? '',
    version: raw?.version ?? null,
    parent: raw?.parent ?? null,
    children: Array.isArray(raw?.children) ? raw.children : [],
  };
}

/** The categories by first character, in code order. */
function groupsOf(children: TreeChild[]): [string, TreeChild[]][] {
  const groups = new Map<string, TreeChild[]>();
  for (const child of children) {
    const key = child.code.charAt(0).toUpperCase();
    const list = groups.get(key);
    if (list) list.push(child);
    else groups.set(key, [child]);
  }
  return [...groups.entries()];
}

interface TreePanelProps {
  releases: CodeRelease[] | null;
  /** The tab is the one shown: the categories are fetched the first time it is. */
  active: boolean;
}

export function TreePanel({ releases, active }: TreePanelProps) {
  const [system, setSystem] = useState<CodeSystem>('icd10cm');
  const [date, setDate] = useState(today);
  const [levels, setLevels] = useState<Record<string, Level>>({});
  const [expandedBy, setExpandedBy] = useState<{ scope: string; ids: Set<string> }>({ scope: '', ids: new Set() });
  const [limits, setLimits] = useState<Record<string, number>>({});
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [target, setTarget] = useState<DetailTarget | null>(null);
  const requested = useRef(new Set<string>());
  const itemRefs = useRef(new Map<string, HTMLLIElement>());

  const dateParam = isIsoDate(date) ? date : '';
  const scope = `${system}|${dateParam}`;
  const expanded = expandedBy.scope === scope ? expandedBy.ids : new Set<string>();

  const load = useCallback(
    (parent: string) => {
      const key = `${system}|${dateParam}|${parent}`;
      if (requested.current.has(key)) return;
      requested.current.add(key);
      setLevels((all) => ({ ...all, [key]: { status: 'loading' } }));
      api.get<TreeAnswer>(`/api/codes/tree${queryString({ system, parent, date: dateParam })}`).then(
        (raw) => setLevels((all) => ({ ...all, [key]: { status: 'ok', answer: normalise(raw) } })),
        (error: unknown) => {
          requested.current.delete(key); // expanding again retries
          setLevels((all) => ({ ...all, [key]: { status: 'error', error: errorMessage(error) } }));
        },
      );
    },
    [system, dateParam],
  );

  useEffect(() => {
    if (active) load('');
  }, [active, load]);

  const levelOf = (parent: string): Level | undefined => levels[`${scope}|${parent}`];
  const root = levelOf('');
  const rootAnswer = root?.status === 'ok' ? root.answer : null;

  // What is shown, in order: the treeitems (for the keyboard) among loading, error and "show more" rows.
  const entries: Entry[] = [];
  const addChildren = (list: TreeChild[], level: number, parentId: string) => {
    const limit = limits[parentId] ?? PAGE;
    list.slice(0, limit).forEach((child, index) => {
      const id = `c:${child.code}`;
      const expandable = child.children > 0;
      const open = expandable && expanded.has(id);
      entries.push({
        type: 'item',
        row: { id, kind: 'code', code: child.code, title: child.title, billable: child.billable, below: child.children, level, setSize: list.length, posInSet: index + 1, parentId, expandable, expanded: open },
      });
      if (open) addLevel(child.code, level + 1, id);
    });
    if (list.length > limit) entries.push({ type: 'more', key: `more:${parentId}`, level, parentId, shown: limit, total: list.length });
  };
  const addLevel = (parent: string, level: number, parentId: string) => {
    const state = levelOf(parent);
    if (state?.status === 'ok') addChildren(state.answer.children, level, parentId);
    else entries.push({ type: 'status', key: `status:${parentId}`, level, error: state?.status === 'error' ? state.error : null });
  };
  if (rootAnswer) {
    const groups = groupsOf(rootAnswer.children);
    groups.forEach(([char, list], index) => {
      const id = `g:${char}`;
      const open = expanded.has(id);
      entries.push({
        type: 'item',
        row: { id, kind: 'group', code: char, title: `${list.length.toLocaleString()} ${list.length === 1 ? 'code' : 'codes'} starting with ${char}`, billable: false, below: list.length, level: 1, setSize: groups.length, posInSet: index + 1, parentId: null, expandable: true, expanded: open },
      });
      if (open) addChildren(list, 2, id);
    });
  }
  const items = entries.flatMap((entry) => (entry.type === 'item' ? [entry.row] : []));
  const current = items.find((row) => row.id === focusedId) ?? items[0] ?? null;

  const setOpen = (row: Row, open: boolean) => {
    if (!row.expandable) return;
    if (open && row.kind === 'code') load(row.code);
    setExpandedBy((state) => {
      const ids = new Set(state.scope === scope ? state.ids : []);
      if (open) ids.add(row.id);
      else ids.delete(row.id);
      return { scope, ids };
    });
  };

  const focusRow = (row: Row | undefined) => {
    if (!row) return;
    setFocusedId(row.id);
    itemRefs.current.get(row.id)?.focus();
  };

  const openDetail = (row: Row) => {
    if (row.kind === 'code') setTarget({ system, code: row.code });
  };

  const onTreeKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (!current) return;
    const index = items.indexOf(current);
    switch (event.key) {
      case 'ArrowDown':
        focusRow(items[index + 1]);
        break;
      case 'ArrowUp':
        focusRow(items[index - 1]);
        break;
      case 'Home':
        focusRow(items[0]);
        break;
      case 'End':
        focusRow(items[items.length - 1]);
        break;
      case 'ArrowRight':
        if (current.expandable && !current.expanded) setOpen(current, true);
        else if (current.expanded && items[index + 1]?.parentId === current.id) focusRow(items[index + 1]);
        break;
      case 'ArrowLeft':
        if (current.expanded) setOpen(current, false);
        else focusRow(items.find((row) => row.id === current.parentId));
        break;
      case 'Enter':
        if (current.kind === 'code') openDetail(current);
        else setOpen(current, !current.expanded);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const changeScope = () => {
    setFocusedId(null);
    setLimits({});
  };

  const versions = rootAnswer?.version ? [rootAnswer.version] : releases ? versionsOn(releases, [system], dateParam || today()) : [];

  return (
    <div data-testid="codes-tree-panel">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Group align="flex-end" gap="sm" wrap="wrap">
              <NativeSelect
                label="System"
                data={SYSTEM_OPTIONS}
                value={system}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  if (isCodeSystem(value)) {
                    setSystem(value);
                    changeScope();
                  }
                }}
                data-testid="codes-tree-system"
              />
              <TextInput
                type="date"
                label="Date of service"
                value={date}
                onChange={(event) => {
                  setDate(event.currentTarget.value);
                  changeScope();
                }}
                error={date && !dateParam ? 'Use YYYY-MM-DD' : undefined}
                data-testid="codes-tree-date"
              />
            </Group>
            <VersionLabel versions={versions} testId="codes-tree-version" placeholder={releases === null ? 'loading…' : 'no code set loaded'} />
            <VersionNotice versions={versions} testId="codes-tree-version-notice" />
            <ErrorAlert message={root?.status === 'error' ? root.error : null} testId="codes-tree-error" />
            {root?.status === 'loading' && <Loader size="sm" aria-label="Loading the categories" />}
            {rootAnswer && rootAnswer.children.length === 0 && (
              <Text size="sm" c="dimmed" data-testid="codes-tree-empty">
                No codes in this version.
              </Text>
            )}
            {rootAnswer && rootAnswer.children.length > 0 && (
              <ul
                role="tree"
                aria-label={`${SYSTEM_LABEL[system]} codes`}
                data-testid="codes-tree"
                onKeyDown={onTreeKeyDown}
                style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: '70vh', overflowY: 'auto' }}
              >
                {entries.map((entry) => {
                  if (entry.type === 'status') {
                    return (
                      <li key={entry.key} role="none" style={{ paddingLeft: entry.level * 16 }}>
                        {entry.error ? (
                          <Text size="sm" c="red" data-testid="codes-tree-item-error">
                            {entry.error}
                          </Text>
                        ) : (
                          <Loader size="xs" aria-label="Loading" />
                        )}
                      </li>
                    );
                  }
                  if (entry.type === 'more') {
                    return (
                      <li key={entry.key} role="none" style={{ paddingLeft: entry.level * 16 }}>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => setLimits((all) => ({ ...all, [entry.parentId]: entry.shown + PAGE }))}
                          data-testid="codes-tree-more"
                        >
                          Show more ({entry.shown.toLocaleString()} of {entry.total.toLocaleString()} shown)
                        </Button>
                      </li>
                    );
                  }
                  const { row } = entry;
                  const isOpen = row.kind === 'code' && target?.code === row.code;
                  return (
                    <li
                      key={row.id}
                      ref={(el) => {
                        if (el) itemRefs.current.set(row.id, el);
                        else itemRefs.current.delete(row.id);
                      }}
                      role="treeitem"
                      aria-level={row.level}
                      aria-setsize={row.setSize}
                      aria-posinset={row.posInSet}
                      aria-expanded={row.expandable ? row.expanded : undefined}
                      aria-selected={isOpen}
                      tabIndex={row.id === current?.id ? 0 : -1}
                      data-testid="codes-tree-item"
                      data-code={row.code}
                      data-kind={row.kind}
                      data-billable={row.billable}
                      onFocus={(event) => {
                        if (event.target === event.currentTarget) setFocusedId(row.id);
                      }}
                      onClick={() => {
                        setFocusedId(row.id);
                        setOpen(row, !row.expanded);
                        openDetail(row);
                      }}
                      style={{
                        cursor: 'pointer',
                        padding: '2px 4px',
                        paddingLeft: (row.level - 1) * 16 + 4,
                        borderRadius: 4,
                        background: isOpen ? 'var(--mantine-color-blue-light)' : undefined,
                      }}
                    >
                      <Group gap={6} wrap="nowrap">
                        <Text span size="xs" c="dimmed" aria-hidden w={12} style={{ flex: 'none' }}>
                          {row.expandable ? (row.expanded ? '▾' : '▸') : ''}
                        </Text>
                        <Text span ff="monospace" fw={600} size="sm" style={{ flex: 'none' }}>
                          {row.code}
                        </Text>
                        <Text span size="sm" truncate style={{ flex: '1 1 auto', minWidth: 0 }}>
                          {row.title}
                        </Text>
                        {row.billable && (
                          <Badge size="xs" color="teal" variant="light" tt="none" style={{ flex: 'none' }} data-testid="codes-tree-billable">
                            billable
                          </Badge>
                        )}
                        {row.kind === 'code' && row.below > 0 && (
                          <Text span size="xs" c="dimmed" style={{ flex: 'none' }} data-testid="codes-tree-below">
                            {row.below.toLocaleString()} below
                          </Text>
                        )}
                      </Group>
                    </li>
                  );
                })}
              </ul>
            )}
            <Text size="xs" c="dimmed">
              <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> move · <Kbd size="xs">→</Kbd> expand · <Kbd size="xs">←</Kbd> collapse ·{' '}
              <Kbd size="xs">Enter</Kbd> open the detail
            </Text>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CodeDetailPanel
            target={target}
            date={dateParam}
            releases={releases}
            onOpen={(code) => setTarget((t) => (t ? { system: t.system, code } : t))}
            onClose={() => {
              setTarget(null);
              if (current) itemRefs.current.get(current.id)?.focus();
            }}
          />
        </Grid.Col>
      </Grid>
    </div>
  );
}
