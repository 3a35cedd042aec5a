import { Badge, Box, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { Conflict } from './excludes';
import { systemLabel, type SearchHit } from './types';

interface SearchResultsProps {
  hits: SearchHit[];
  selected: number;
  /** The list answers an older question (the user typed on): shown dimmed until the new answer. */
  stale: boolean;
  query: string;
  onPick: (index: number) => void;
  /** Per hit: its Excludes conflicts with the picked codes (shown beside it). */
  conflicts?: Conflict[][];
  /** Codes already picked (marked in the list). */
  picked?: ReadonlySet<string>;
}

/** The hit list, a listbox driven from the search box (aria-activedescendant); rows can also be clicked. */
export function SearchResults({ hits, selected, stale, query, onPick, conflicts, picked }: SearchResultsProps) {
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const row = listRef.current?.querySelector<HTMLElement>(`[data-index="${selected}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selected, hits]);

  if (hits.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="codes-no-results" aria-live="polite" style={{ opacity: stale ? 0.6 : 1 }}>
        No codes match “{query}”.
      </Text>
    );
  }

  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" data-testid="codes-result-count" aria-live="polite">
        {hits.length === 1 ? '1 code' : `${hits.length} codes`} for “{query}”
      </Text>
      <Paper withBorder radius="sm" aria-busy={stale} style={{ opacity: stale ? 0.6 : 1 }}>
        <ScrollArea.Autosize mah="55vh" type="auto">
          <div ref={listRef} id="codes-results" role="listbox" aria-label="Matching codes" data-testid="codes-results">
            {hits.map((hit, index) => {
              const isSelected = index === selected;
              const clashes = conflicts?.[index] ?? [];
              const notes = hit.excludes?.notes ?? [];
              return (
                <Box
                  key={`${hit.system}:${hit.code}`}
                  id={`codes-option-${index}`}
                  role="option"
                  aria-selected={isSelected}
                  data-selected={isSelected ? 'true' : undefined}
                  data-index={index}
                  data-code={hit.code}
                  data-system={hit.system}
                  data-testid="codes-result"
                  px="sm"
                  py={6}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => onPick(index)}
                  style={{
                    cursor: 'pointer',
                    borderBottom: '1px solid var(--mantine-color-default-border)',
                    background: isSelected ? 'var(--mantine-primary-color-light)' : undefined,
                    boxShadow: isSelected ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
                  }}
                >
                  <Group gap="sm" wrap="nowrap" align="baseline">
                    <Text ff="monospace" fw={700} size="sm" miw={84} style={{ whiteSpace: 'nowrap' }} data-testid="codes-result-code">
                      {hit.code}
                    </Text>
                    <Text size="sm" style={{ flex: 1 }} data-testid="codes-result-title">
                      {hit.title}
                    </Text>
                    {!hit.billable && (
                      <Badge size="xs" color="gray" variant="outline" tt="none" data-testid="codes-result-header">
                        header
                      </Badge>
                    )}
                    {picked?.has(`${hit.system}:${hit.code}`) && (
                      <Badge size="xs" color="teal" variant="light" tt="none" data-testid="codes-result-picked">
                        picked
                      </Badge>
                    )}
                    {clashes.map((c) => (
                      <Badge
                        key={`${c.kind}:${c.with}`}
                        size="xs"
                        color={c.kind === 'excludes1' ? 'red' : 'yellow'}
                        variant={c.kind === 'excludes1' ? 'filled' : 'light'}
                        tt="none"
                        title={`${c.kind === 'excludes1' ? 'Excludes1' : 'Excludes2'} (at ${c.note.at}): ${c.note.text}`}
                        data-testid="codes-result-conflict"
                        data-kind={c.kind}
                        data-with={c.with}
                      >
                        {c.kind === 'excludes1' ? 'Excludes1' : 'Excludes2'} {c.with}
                      </Badge>
                    ))}
                    <Badge size="xs" variant="light" tt="none" style={{ flexShrink: 0 }}>
                      {systemLabel(hit.system)}
                    </Badge>
                  </Group>
                  {isSelected && notes.length > 0 && (
                    <Stack gap={0} mt={4} pl={96} data-testid="codes-result-notes">
                      {notes.map((n, i) => (
                        <Text key={i} size="xs" c={n.kind === 'excludes1' ? 'red.8' : 'yellow.9'} data-testid="codes-result-note" data-kind={n.kind}>
                          {n.kind === 'excludes1' ? 'Excludes1' : 'Excludes2'}
                          {n.at !== hit.code ? ` (at ${n.at})` : ''}: {n.text}
                        </Text>
                      ))}
                      {hit.excludes && hit.excludes.from && (
                        <Text size="xs" c="dimmed">
                          notes from {hit.excludes.from}
                        </Text>
                      )}
                    </Stack>
                  )}
                </Box>
              );
            })}
          </div>
        </ScrollArea.Autosize>
      </Paper>
    </Stack>
  );
}

