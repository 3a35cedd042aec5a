// The encoder: type, arrow to a code, Enter picks it (and opens its detail), Delete takes a picked code off
// again, Escape back to the search box — no mouse needed. Beside each result: its Excludes1 (red) and
// Excludes2 (amber) conflicts with the picked codes; the selected result shows its Excludes notes.
// Searches are debounced and a newer keystroke aborts the request of an older one, so the list never
// shows the answer to a question no longer asked.
import { Alert, Badge, Code, Grid, Group, Kbd, Loader, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api, errorMessage, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { filterFieldProps } from '../../components/shortcuts';
import { CodeDetailPanel } from './CodeDetailPanel';
import { NO_RELEASES_TEXT, CODE_SYSTEMS, SYSTEM_LABEL, isCodeSystem, type CodeRelease, type CodeSystem, type DetailTarget, type SearchAnswer, type SearchHit } from './types';
import { SearchResults } from './SearchResults';
import { conflictsOf, type PickedCode } from './excludes';
import { ValidateBox, type ValidateRequest } from './ValidateBox';
import { VersionLabel, VersionNotice } from './VersionInfo';
import { isIsoDate, today, versionsOn } from './versions';

const DEBOUNCE_MS = 150;
const MAX_QUERY = 200;
const SEARCH_LIMIT = 50;

const SYSTEM_OPTIONS = [
  { value: '', label: 'All systems' },
  ...CODE_SYSTEMS.map((value) => ({ value, label: SYSTEM_LABEL[value] })),
];

interface SearchParams {
  q: string;
  system: string;
  date: string;
}

interface SearchState {
  /** The question `answer` (or `error`) answers; null before the first search. */
  params: SearchParams | null;
  answer: SearchAnswer | null;
  error: string | null;
  loading: boolean;
}

const IDLE: SearchState = { params: null, answer: null, error: null, loading: false };

const keyOf = (p: SearchParams) => `${p.system}|${p.date}|${p.q}`;

function normalise(answer: SearchAnswer | null | undefined): SearchAnswer {
  return {
    hits: Array.isArray(answer?.hits) ? answer.hits : [],
    versions: Array.isArray(answer?.versions) ? answer.versions : [],
  };
}

interface EncoderPanelProps {
  releases: CodeRelease[] | null;
  releasesLoading: boolean;
  /** The encoder tab is the one shown (its fields take "/" and the focus). */
  active: boolean;
}

export function EncoderPanel({ releases, releasesLoading, active }: EncoderPanelProps) {
  const [query, setQuery] = useState('');
  const [system, setSystem] = useState<'' | CodeSystem>('');
  const [date, setDate] = useState(today);
  const [debounced, , debounce] = useDebouncedValue(query.trim(), DEBOUNCE_MS);
  const [search, setSearch] = useState<SearchState>(IDLE);
  const [selected, setSelected] = useState(0);
  const [target, setTarget] = useState<DetailTarget | null>(null);
  const [validateRequest, setValidateRequest] = useState<ValidateRequest | null>(null);
  const [picked, setPicked] = useState<PickedCode[]>([]);
  const pickedRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  /** Enter pressed before the answer to the current text arrived: open its first hit when it does. */
  const pendingOpen = useRef<string | null>(null);

  const dateParam = isIsoDate(date) ? date : '';
  const current: SearchParams = { q: query.trim(), system, date: dateParam };
  const hits = search.answer?.hits ?? [];
  const fresh = search.params !== null && keyOf(search.params) === keyOf(current);

  const openHit = (hit: SearchHit | undefined) => {
    if (!hit || !isCodeSystem(hit.system)) return;
    setTarget({ system: hit.system, code: hit.code });
  };

  /** Enter: the hit joins the picked codes (once) and its detail opens. */
  const pickHit = (hit: SearchHit | undefined) => {
    if (!hit || !isCodeSystem(hit.system)) return;
    setPicked((list) => (list.some((p) => p.system === hit.system && p.code === hit.code) ? list : [...list, { code: hit.code, system: hit.system, title: hit.title, excludes: hit.excludes?.notes ?? [] }]));
    openHit(hit);
  };

  const unpick = (key: string) => setPicked((list) => list.filter((p) => `${p.system}:${p.code}` !== key));
  const pickedKeys = useMemo(() => new Set(picked.map((p) => `${p.system}:${p.code}`)), [picked]);
  const conflicts = useMemo(() => (search.answer?.hits ?? []).map((h) => conflictsOf(h, picked)), [search.answer, picked]);

  useEffect(() => {
    const params: SearchParams = { q: debounced, system, date: dateParam };
    if (!debounced) {
      pendingOpen.current = null;
      setSearch(IDLE);
      return;
    }
    if (debounced.length > MAX_QUERY) {
      setSearch({ params, answer: null, error: `Type at most ${MAX_QUERY} characters.`, loading: false });
      return;
    }
    const controller = new AbortController();
    setSearch((state) => ({ ...state, loading: true }));
    const path = `/api/codes/search${queryString({ q: debounced, system, date: dateParam, limit: SEARCH_LIMIT, excludes: 'true' })}`;
    api.get<SearchAnswer>(path, { signal: controller.signal }).then(
      (raw) => {
        if (controller.signal.aborted) return;
        const answer = normalise(raw);
        setSearch({ params, answer, error: null, loading: false });
        setSelected(0);
        if (pendingOpen.current === keyOf(params)) pickHit(answer.hits[0]);
        pendingOpen.current = null;
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        pendingOpen.current = null;
        setSearch({ params, answer: null, error: errorMessage(error), loading: false });
      },
    );
    return () => controller.abort();
    // openHit only sets state; the question is what matters.
  }, [debounced, system, dateParam]);

  const focusSearch = () => {
    const input = searchRef.current;
    if (!input) return;
    input.focus();
    input.select();
  };

  // Shown again (tab switch, "g c"): the search box has the focus, as on first load.
  useEffect(() => {
    if (active) searchRef.current?.focus();
  }, [active]);

  // Escape from anywhere in the encoder (or from nowhere in particular) goes back to the search box.
  useEffect(() => {
    if (!active) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('[role=dialog]')) return;
      const targetNode = event.target instanceof Node ? event.target : null;
      const inside = targetNode !== null && rootRef.current?.contains(targetNode);
      if (!inside && targetNode !== document.body) return;
      event.preventDefault();
      focusSearch();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active]);

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = hits.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setSelected((index) => Math.min(index + 1, Math.max(last, 0)));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setSelected((index) => Math.max(index - 1, 0));
        break;
      case 'PageDown':
        event.preventDefault();
        setSelected((index) => Math.min(index + 10, Math.max(last, 0)));
        break;
      case 'PageUp':
        event.preventDefault();
        setSelected((index) => Math.max(index - 10, 0));
        break;
      case 'Enter': {
        event.preventDefault();
        if (!current.q) return;
        if (fresh && !search.loading) {
          pickHit(hits[selected]);
        } else {
          pendingOpen.current = keyOf(current);
          debounce.flush();
        }
        break;
      }
      case 'Delete': {
        // At the end of the text (where Delete has nothing to delete), Delete takes the selected hit off the picked codes.
        const input = event.currentTarget;
        const hit = hits[selected];
        if (input.selectionStart !== input.value.length || !hit || !pickedKeys.has(`${hit.system}:${hit.code}`)) return;
        event.preventDefault();
        unpick(`${hit.system}:${hit.code}`);
        break;
      }
      default:
        break;
    }
  };

  /** The picked list: arrows move along it, Delete (or Backspace) removes the focused code. */
  const onPickedKeyDown = (event: KeyboardEvent<HTMLElement>, index: number) => {
    const items = pickedRef.current?.querySelectorAll<HTMLElement>('[data-testid="codes-picked-code"]');
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      const p = picked[index];
      if (!p) return;
      unpick(`${p.system}:${p.code}`);
      const next = items?.[index + 1] ?? items?.[index - 1];
      if (next) next.focus();
      else focusSearch();
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      items?.[Math.max(0, Math.min(index + (event.key === 'ArrowRight' ? 1 : -1), (items?.length ?? 1) - 1))]?.focus();
    }
  };

  const date0 = dateParam || today();
  const answered = fresh && search.answer && search.answer.versions.length > 0 ? search.answer.versions : null;
  const systems = system ? [system] : CODE_SYSTEMS;
  const versions = answered ?? (releases ? versionsOn(releases, systems, date0) : []);
  const nothingLoaded = releases !== null && releases.length === 0;
  const busy = search.loading || (current.q !== '' && current.q !== debounced);
  const activeId = fresh && hits[selected] ? `codes-option-${selected}` : undefined;

  return (
    <div ref={rootRef} data-testid="codes-encoder">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="sm">
            <Group align="flex-end" gap="sm" wrap="wrap">
              <TextInput
                ref={searchRef}
                label="Search codes"
                placeholder="A code (F43.10, f4310) or words of its title"
                autoFocus
                autoComplete="off"
                spellCheck={false}
                style={{ flex: '1 1 260px' }}
                value={query}
                onChange={(event) => setQuery(event.currentTarget.value)}
                onKeyDown={onSearchKeyDown}
                rightSection={busy ? <Loader size="xs" aria-label="Searching" /> : null}
                role="combobox"
                aria-expanded={hits.length > 0}
                aria-controls="codes-results"
                aria-autocomplete="list"
                aria-activedescendant={activeId}
                data-testid="codes-search"
                {...(active ? filterFieldProps : {})}
              />
              <NativeSelect
                label="System"
                data={SYSTEM_OPTIONS}
                value={system}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setSystem(isCodeSystem(value) ? value : '');
                }}
                data-testid="codes-system"
              />
              <TextInput
                type="date"
                label="Date of service"
                value={date}
                onChange={(event) => setDate(event.currentTarget.value)}
                error={date && !dateParam ? 'Use YYYY-MM-DD' : undefined}
                data-testid="codes-date"
              />
            </Group>
            <VersionLabel
              versions={versions}
              testId="codes-version"
              placeholder={releases === null ? (releasesLoading ? 'loading…' : 'shown with the first search') : nothingLoaded ? 'no code set loaded' : 'none for this system'}
            />
            <VersionNotice versions={versions} testId="codes-version-notice" />
            {nothingLoaded && (
              <Alert color="gray" variant="light" data-testid="codes-no-releases">
                {NO_RELEASES_TEXT} Run <Code>chartroom import codesets ../shared/refdata</Code> (see the README).
              </Alert>
            )}
            <ErrorAlert message={search.error} testId="codes-search-error" />
            {!current.q ? (
              <Text size="sm" c="dimmed" data-testid="codes-hint">
                Type a code or words of a title to search.
              </Text>
            ) : (
              search.answer &&
              search.params && (
                <SearchResults
                  hits={hits}
                  selected={selected}
                  stale={!fresh || search.loading}
                  query={search.params.q}
                  onPick={(index) => {
                    setSelected(index);
                    openHit(hits[index]);
                    searchRef.current?.focus();
                  }}
                  conflicts={fresh ? conflicts : undefined}
                  picked={pickedKeys}
                />
              )
            )}
            <Text size="xs" c="dimmed">
              <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose · <Kbd size="xs">Enter</Kbd> pick and open the detail ·{' '}
              <Kbd size="xs">Del</Kbd> unpick · <Kbd size="xs">Esc</Kbd> back to the search box
            </Text>
            <Group gap={6} ref={pickedRef} data-testid="codes-picked" aria-label="Picked codes" role="list">
              <Text size="xs" c="dimmed">
                Picked:
              </Text>
              {picked.length === 0 ? (
                <Text size="xs" c="dimmed" data-testid="codes-picked-empty">
                  none yet (Enter picks a code)
                </Text>
              ) : (
                picked.map((p, index) => (
                  <Badge
                    key={`${p.system}:${p.code}`}
                    role="listitem"
                    tabIndex={0}
                    variant="outline"
                    tt="none"
                    title={`${p.title} — Delete to remove`}
                    data-testid="codes-picked-code"
                    data-code={p.code}
                    onKeyDown={(event) => onPickedKeyDown(event, index)}
                  >
                    {p.code}
                  </Badge>
                ))
              )}
            </Group>
            <ValidateBox
              date={dateParam}
              system={system}
              request={validateRequest}
              onOpen={(openSystem, code) => setTarget({ system: openSystem, code })}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CodeDetailPanel
            target={target}
            date={dateParam}
            releases={releases}
            onOpen={(code) => setTarget((t) => (t ? { system: t.system, code } : t))}
            onValidate={(detailSystem, code) => setValidateRequest((r) => ({ system: detailSystem, code, n: (r?.n ?? 0) + 1 }))}
            onClose={() => {
              setTarget(null);
              focusSearch();
            }}
          />
        </Grid.Col>
      </Grid>
    </div>
  );
}
