// A code field with the encoder behind it: type a code or words, the suggestions follow (debounced, an older
// answer never replaces a newer one), ↑/↓ choose, Enter or Tab takes the chosen one, Escape closes the list.
// Beside the field: the code set's check of the code (valid, header, unknown) and the MCE edits about it.
import { Badge, Box, Group, Loader, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, queryString } from '../../api/client';
import { bareCode } from './format';
import type { CodeCheck, MceEdit } from './types';

const DEBOUNCE_MS = 150;
const LIMIT = 8;

interface Hit {
  code: string;
  title: string;
  billable: boolean;
}

interface Suggestions {
  q: string;
  hits: Hit[];
}

export interface CodeFieldProps {
  label?: string;
  value: string;
  onChange: (code: string) => void;
  system: 'icd10cm' | 'icd10pcs';
  /** The discharge date: codes are searched in the release in force then. */
  date: string | null;
  check: CodeCheck | undefined;
  edits: MceEdit[];
  disabled?: boolean;
  testId: string;
  autoFocus?: boolean;
  placeholder?: string;
}

const CHECK_COLOR: Record<string, string> = { valid: 'green', 'not-billable': 'orange', unknown: 'red' };
const CHECK_LABEL: Record<string, string> = { valid: 'valid', 'not-billable': 'header', unknown: 'unknown' };

export function CodeField({ label, value, onChange, system, date, check, edits, disabled, testId, autoFocus, placeholder }: CodeFieldProps) {
  const [focused, setFocused] = useState(false);
  /** The text the coder typed since the last pick; the list shows only for typed text. */
  const [typed, setTyped] = useState(false);
  const [debounced] = useDebouncedValue(value.trim(), DEBOUNCE_MS);
  const [answer, setAnswer] = useState<Suggestions>({ q: '', hits: [] });
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState(0);
  const listId = useId();
  const pendingPick = useRef<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const pick = (hit: Hit | undefined) => {
    if (!hit) return;
    onChange(hit.code);
    setTyped(false);
    pendingPick.current = null;
  };

  useEffect(() => {
    if (!typed || debounced.length < 2) {
      setAnswer({ q: debounced, hits: [] });
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    const path = `/api/codes/search${queryString({ q: debounced, system, date: date ?? '', limit: LIMIT })}`;
    api.get<{ hits?: Hit[] }>(path, { signal: controller.signal }).then(
      (raw) => {
        if (controller.signal.aborted) return;
        const hits = Array.isArray(raw?.hits) ? raw.hits : [];
        setAnswer({ q: debounced, hits });
        setSelected(0);
        setLoading(false);
        if (pendingPick.current === debounced) pick(hits[0]);
      },
      () => {
        if (controller.signal.aborted) return;
        setAnswer({ q: debounced, hits: [] });
        setLoading(false);
        pendingPick.current = null;
      },
    );
    return () => controller.abort();
    // `pick` only sets state; the question is what matters.
  }, [debounced, typed, system, date]);

  const fresh = answer.q === value.trim();
  const open = focused && typed && answer.hits.length > 0;

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && open) {
      event.preventDefault();
      setSelected((i) => Math.min(i + 1, answer.hits.length - 1));
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!typed) return;
      if (fresh && answer.hits.length > 0) pick(answer.hits[selected]);
      else if (value.trim().length >= 2) pendingPick.current = value.trim();
    } else if (event.key === 'Tab' && open && fresh) {
      pick(answer.hits[selected]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setTyped(false);
    }
  };

  const mine = edits.filter((e) => e.code !== null && value.trim() !== '' && bareCode(e.code) === bareCode(value));

  return (
    <Stack gap={2} data-testid={testId}>
      <Box pos="relative">
        <TextInput
          ref={inputRef}
          label={label}
          placeholder={placeholder ?? 'Code or words'}
          value={value}
          disabled={disabled}
          autoFocus={autoFocus}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setTyped(true);
            onChange(event.currentTarget.value);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          rightSection={loading && typed ? <Loader size="xs" /> : null}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${listId}-${selected}` : undefined}
          data-testid={`${testId}-input`}
          w={170}
        />
        {open && (
          <Paper
            withBorder
            shadow="md"
            pos="absolute"
            top="100%"
            left={0}
            w={520}
            style={{ zIndex: 30 }}
            role="listbox"
            id={listId}
            data-testid={`${testId}-suggestions`}
            onMouseDown={(event) => event.preventDefault()}
          >
            {answer.hits.map((hit, index) => (
              <Group
                key={hit.code}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === selected}
                data-testid="code-suggestion"
                data-code={hit.code}
                gap="xs"
                wrap="nowrap"
                px="xs"
                py={4}
                onClick={() => pick(hit)}
                style={{ cursor: 'pointer', background: index === selected ? 'var(--mantine-primary-color-light)' : undefined }}
              >
                <Text size="sm" ff="monospace" fw={600} w={72}>
                  {hit.code}
                </Text>
                <Text size="sm" lineClamp={1} style={{ flex: 1 }}>
                  {hit.title}
                </Text>
                {!hit.billable && (
                  <Badge size="xs" color="orange" variant="light">
                    header
                  </Badge>
                )}
              </Group>
            ))}
          </Paper>
        )}
      </Box>
      <CheckLine check={check} edits={mine} testId={testId} />
    </Stack>
  );
}

function CheckLine({ check, edits, testId }: { check: CodeCheck | undefined; edits: MceEdit[]; testId: string }) {
  if (!check && edits.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap" maw={560}>
      {check && (
        <Tooltip label={check.message} multiline w={320} withinPortal>
          <Badge size="xs" variant="light" color={CHECK_COLOR[check.status] ?? 'gray'} data-testid={`${testId}-check`} data-status={check.status}>
            {CHECK_LABEL[check.status] ?? check.status}
          </Badge>
        </Tooltip>
      )}
      {check?.title && (
        <Text size="xs" c="dimmed" lineClamp={1} maw={380}>
          {check.title}
        </Text>
      )}
      {check && !check.valid && check.status !== 'not-billable' && check.status !== 'unknown' && (
        <Text size="xs" c="red">
          {check.message}
        </Text>
      )}
      {edits.map((e) => (
        <Group key={`${e.edit}-${e.position ?? ''}`} gap={4} wrap="nowrap" data-testid={`${testId}-edit`} data-edit={e.edit}>
          <Badge size="xs" color={e.counted ? 'red' : 'yellow'} variant="filled">
            {e.edit}
          </Badge>
          <Text size="xs" c={e.counted ? 'red.8' : 'yellow.9'} lineClamp={2}>
            {e.explanation}
          </Text>
        </Group>
      ))}
    </Group>
  );
}
