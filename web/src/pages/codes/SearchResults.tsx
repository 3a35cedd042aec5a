import { Badge, Box, Group, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { systemLabel, type SearchHit } from './types';

interface SearchResultsProps {
  hits: SearchHit[];
  selected: number;
  /** The list answers an older question (the user typed on): shown dimmed until the new answer. */
  stale: boolean;
  query: string;
  onPick: (index: number) => void;
}

/** The hit list, a listbox driven from the search box (aria-activedescendant); rows can also be clicked. */
export function SearchResults({ hits, selected, stale, query, onPick }: SearchResultsProps) {
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
                    <Badge size="xs" variant="light" tt="none" style={{ flexShrink: 0 }}>
                      {systemLabel(hit.system)}
                    </Badge>
                  </Group>
                </Box>
              );
            })}
          </div>
        </ScrollArea.Autosize>
      </Paper>
    </Stack>
  );
}

