// The ICD-10-PCS code builder: one character at a time, section to qualifier, offered only the values that
// still lead to a valid code (GET /api/codes/pcs/builder). Keyboard first: type a character to choose it —
// typed ahead of the server it is queued, not lost — or ↑ ↓ and Enter; Backspace takes the last one back,
// and a filled slot at the top goes back to its position. Answers are kept per date and prefix, so going
// back is instant.
import { Alert, Badge, Box, Button, Group, Kbd, Loader, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useEffect, useId, useReducer, useRef, type KeyboardEvent } from 'react';
import { api, errorMessage, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { filterFieldProps } from '../../components/shortcuts';
import type { CodeRelease, CodeVersion } from './types';
import { VersionLabel, VersionNotice } from './VersionInfo';
import { today, versionOn } from './versions';

import { Slot, OptionRow } from './PcsBuilderParts';
import { LENGTH, POSITIONS, readAnswer, reduce, initialState, dateOf, keyOf, stepAfter, matches } from './pcsBuilderState';
interface PcsBuilderPanelProps {
  releases: CodeRelease[] | null;
  /** The builder tab is the one shown (its fields take "/" and the focus). */
  active: boolean;
}

export function PcsBuilderPanel({ releases, active }: PcsBuilderPanelProps) {
  const [state, dispatch] = useReducer(reduce, undefined, initialState);
  const listRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  /** Set by an action that should leave the focus on the list (or the result): taken by the next render. */
  const wantFocus = useRef(false);
  const idBase = useId();
  const clipboard = useClipboard({ timeout: 1500 });

  const date = dateOf(state);
  const { prefix, pending } = state;
  const key = keyOf(date, prefix);
  const answer = state.answers[key] ?? null;
  const failed = state.error?.key === key ? state.error.message : null;
  const loading = answer === null && failed === null;
  const complete = prefix.length === LENGTH;

  useEffect(() => {
    if (!loading) return;
    const controller = new AbortController();
    api.get<unknown>(`/api/codes/pcs/builder${queryString({ prefix, date })}`, { signal: controller.signal }).then(
      (raw) => {
        if (!controller.signal.aborted) dispatch({ type: 'answer', key, answer: readAnswer(raw, prefix) });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: 'error', key, message: errorMessage(error) });
      },
    );
    return () => controller.abort();
    // `key` names prefix and date.
  }, [key, loading]);

  const step = answer?.step ?? null;
  const options = step?.options ?? [];
  const words = state.filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const shown = words.length > 0 ? options.filter((o) => matches(o, words)) : options;
  const activeIndex = Math.max(0, shown.findIndex((o) => o.char === state.activeChar));
  const activeOption = shown[activeIndex];

  const focusBuilder = () => (listRef.current ?? resultRef.current)?.focus();

  // Shown again (tab switch): the list has the focus, as on first load.
  useEffect(() => {
    if (active) focusBuilder();
  }, [active]);

  // The list gives way to the result when the code is complete (and back): what had the focus is gone.
  useEffect(() => {
    if (!active) return;
    const focused = document.activeElement;
    if (focused === null || focused === document.body) focusBuilder();
  }, [active, complete]);

  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    focusBuilder();
  });

  useEffect(() => {
    if (!activeOption) return;
    listRef.current?.querySelector<HTMLElement>(`[data-char="${activeOption.char}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [activeOption?.char, step]);

  const choose = (char: string) => dispatch({ type: 'choose', char });

  /** ↑ ↓ PageUp PageDown (and Home End in the list): true when the key moved the highlight. */
  const move = (keyName: string, withHomeEnd: boolean): boolean => {
    const last = shown.length - 1;
    if (last < 0) return false;
    let index: number;
    switch (keyName) {
      case 'ArrowDown':
        index = Math.min(activeIndex + 1, last);
        break;
      case 'ArrowUp':
        index = Math.max(activeIndex - 1, 0);
        break;
      case 'PageDown':
        index = Math.min(activeIndex + 10, last);
        break;
      case 'PageUp':
        index = Math.max(activeIndex - 10, 0);
        break;
      case 'Home':
        if (!withHomeEnd) return false;
        index = 0;
        break;
      case 'End':
        if (!withHomeEnd) return false;
        index = last;
        break;
      default:
        return false;
    }
    const option = shown[index];
    if (option) dispatch({ type: 'active', char: option.char });
    return true;
  };

  // Anywhere in the builder but its text fields: a character chooses, Backspace takes back; in the list
  // the arrows move and Enter chooses the highlighted value.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (event.key === 'Backspace') {
      event.preventDefault();
      dispatch({ type: 'back' });
      return;
    }
    if (event.key.length === 1 && /^[0-9a-z]$/i.test(event.key)) {
      event.preventDefault();
      choose(event.key);
      return;
    }
    if (target !== listRef.current) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (activeOption) choose(activeOption.char);
      return;
    }
    if (move(event.key, true)) event.preventDefault();
  };

  const onFilterKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (activeOption) {
        wantFocus.current = true;
        choose(activeOption.char);
      }
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (state.filter) dispatch({ type: 'filter', filter: '' });
      else listRef.current?.focus();
    } else if (event.key === 'Backspace' && event.currentTarget.value === '') {
      event.preventDefault();
      dispatch({ type: 'back' });
    } else if (move(event.key, false)) {
      event.preventDefault();
    }
  };

  const versions: CodeVersion[] = (() => {
    if (answer?.version) return [answer.version];
    const sameDate = Object.entries(state.answers).find(([k, a]) => k.startsWith(`${date}|`) && a.version);
    if (sameDate?.[1].version) return [sameDate[1].version];
    const guess = releases ? versionOn(releases, 'icd10pcs', date || today()) : null;
    return guess ? [guess] : [];
  })();

  const chosen = complete && answer?.chosen?.length === LENGTH ? answer.chosen : null;
  const slots = POSITIONS.map((position) => {
    if (position <= prefix.length) {
      const char = prefix.charAt(position - 1);
      const own = chosen?.[position - 1];
      const offered = stepAfter(state, date, prefix.slice(0, position - 1));
      const label = own?.label || offered?.options.find((o) => o.char === char)?.label;
      const axisTitle = own?.axisTitle || offered?.axisTitle;
      return { position, char, label, axisTitle, kind: 'chosen' as const };
    }
    const typed = pending.charAt(position - 1 - prefix.length);
    if (typed) return { position, char: typed, label: undefined, axisTitle: undefined, kind: 'pending' as const };
    if (position === prefix.length + 1) return { position, char: '', label: undefined, axisTitle: step?.axisTitle, kind: 'current' as const };
    return { position, char: '', label: undefined, axisTitle: undefined, kind: 'empty' as const };
  });

  const code = answer?.code ?? null;
  const versionLabel = versions[0]?.label ?? 'the version in use';

  return (
    <Stack gap="sm" data-testid="pcs-builder" data-prefix={prefix} onKeyDown={onKeyDown}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          type="date"
          label="Date of service"
          value={state.date}
          onChange={(event) => dispatch({ type: 'date', date: event.currentTarget.value })}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            focusBuilder();
          }}
          error={state.date && !date ? 'Use YYYY-MM-DD' : undefined}
          data-testid="pcs-date"
        />
        <Box pb={6}>
          <VersionLabel versions={versions} testId="pcs-version" placeholder={releases === null ? 'loading…' : 'shown with the first answer'} />
        </Box>
      </Group>
      <VersionNotice versions={versions} testId="pcs-version-notice" />
      <ErrorAlert message={failed} testId="pcs-error" />

      <Group gap={6} wrap="nowrap" role="group" aria-label="The seven characters of the code" data-testid="pcs-slots">
        {slots.map((slot) => (
          <Slot
            key={slot.position}
            {...slot}
            onGo={() => {
              wantFocus.current = true;
              dispatch({ type: 'goto', position: slot.position });
            }}
          />
        ))}
      </Group>

      {complete ? (
        <Paper ref={resultRef} tabIndex={-1} withBorder p="md" radius="sm" aria-label="The complete code" aria-busy={loading} data-testid="pcs-result">
          <Stack gap="xs">
            <Group gap="sm" wrap="wrap" align="center">
              <Title order={3} ff="monospace" data-testid="pcs-code" style={{ userSelect: 'all' }}>
                {code?.code ?? prefix}
              </Title>
              {loading ? (
                <Loader size="xs" aria-label="Checking the code" />
              ) : (
                code && (
                  <Badge color={code.valid ? 'green' : 'red'} variant="filled" tt="none" data-testid="pcs-code-valid" data-valid={String(code.valid)}>
                    {code.valid ? 'Valid code' : 'Not a valid code'}
                  </Badge>
                )
              )}
              <Button
                size="compact-sm"
                variant="light"
                color={clipboard.copied ? 'teal' : undefined}
                onClick={() => clipboard.copy(code?.code ?? prefix)}
                data-testid="pcs-copy"
              >
                {clipboard.copied ? 'Copied' : 'Copy'}
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                color="gray"
                onClick={() => {
                  wantFocus.current = true;
                  dispatch({ type: 'clear' });
                }}
                data-testid="pcs-clear"
              >
                Start again
              </Button>
            </Group>
            {clipboard.error && (
              <Text size="xs" c="red" data-testid="pcs-copy-error">
                Could not copy (the browser did not allow it): select the code and copy it by hand.
              </Text>
            )}
            {code && (
              <Text fw={600} data-testid="pcs-code-title">
                {code.title ?? (code.valid ? `No title for ${code.code} in ${versionLabel}.` : `${code.code} is not a valid code in ${versionLabel}.`)}
              </Text>
            )}
            {chosen && (
              <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" data-testid="pcs-chosen">
                <Table.Tbody>
                  {chosen.map((c, index) => (
                    <Table.Tr key={index}>
                      <Table.Td c="dimmed" w={130}>
                        <Text size="sm">{c.axisTitle ?? `Character ${index + 1}`}</Text>
                      </Table.Td>
                      <Table.Td w={24}>
                        <Text ff="monospace" fw={700} size="sm">
                          {c.char}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{c.label}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        </Paper>
      ) : (
        <Stack gap={6}>
          <Group gap="xs" align="baseline" wrap="wrap" mih={28}>
            <Text size="sm" c="dimmed">
              Character {prefix.length + 1} of {LENGTH}
            </Text>
            {step && (
              <Title order={4} data-testid="pcs-axis-title" data-position={step.position}>
                {step.axisTitle}
              </Title>
            )}
            {loading && <Loader size="xs" aria-label="Loading the values" />}
            {step && (
              <Text size="xs" c="dimmed" data-testid="pcs-option-count" aria-live="polite">
                {shown.length === options.length ? `${options.length} values` : `${shown.length} of ${options.length} values`}
              </Text>
            )}
          </Group>
          <TextInput
            placeholder="Filter the values by label (e.g. appendix, endoscopic)"
            aria-label="Filter the values by label"
            autoComplete="off"
            spellCheck={false}
            value={state.filter}
            onChange={(event) => dispatch({ type: 'filter', filter: event.currentTarget.value })}
            onKeyDown={onFilterKeyDown}
            aria-controls={`${idBase}-list`}
            data-testid="pcs-filter"
            {...(active ? filterFieldProps : {})}
          />
          {state.rejected && (
            <Text size="sm" c="orange.8" role="status" data-testid="pcs-rejected">
              {state.rejected}
            </Text>
          )}
          {answer && !step && !failed && (
            <Alert color="yellow" variant="light" data-testid="pcs-dead-end">
              No valid code in {versionLabel} starts with <Text span ff="monospace" fw={700}>{prefix}</Text>. Take a character back with Backspace or choose a slot above.
            </Alert>
          )}
          <Paper withBorder radius="sm" aria-busy={loading}>
            <ScrollArea.Autosize mah="55vh" type="auto">
              <div
                ref={listRef}
                id={`${idBase}-list`}
                role="listbox"
                tabIndex={0}
                aria-label={step ? `${step.axisTitle}: values of character ${step.position}` : 'Values of the next character'}
                aria-activedescendant={activeOption ? `${idBase}-${activeOption.char}` : undefined}
                data-testid="pcs-options"
                style={{ minHeight: 120, outlineOffset: -2 }}
              >
                {step && shown.length === 0 && (
                  <Text size="sm" c="dimmed" p="sm" data-testid="pcs-no-options">
                    {options.length === 0 ? 'No values.' : `No value of ${step.axisTitle} matches “${state.filter.trim()}”.`}
                  </Text>
                )}
                {shown.map((option) => (
                  <OptionRow
                    key={option.char}
                    id={`${idBase}-${option.char}`}
                    option={option}
                    active={option.char === activeOption?.char}
                    onPick={() => {
                      wantFocus.current = true;
                      choose(option.char);
                    }}
                  />
                ))}
              </div>
            </ScrollArea.Autosize>
          </Paper>
        </Stack>
      )}

      <Text size="xs" c="dimmed">
        <Kbd size="xs">0</Kbd>–<Kbd size="xs">Z</Kbd> choose a character · <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> <Kbd size="xs">Enter</Kbd>{' '}
        choose from the list · <Kbd size="xs">Backspace</Kbd> take the last character back · <Kbd size="xs">/</Kbd> filter
      </Text>
    </Stack>
  );
}

