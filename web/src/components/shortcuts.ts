// Global keyboard shortcuts: "g" then a letter jumps to an area, "/" focuses the page's
// first filter or search field, "?" opens the help. Ignored while typing in a field.
import { useEffect, useRef } from 'react';

export interface Jump {
  key: string;
  label: string;
  path: string;
}

const SEQUENCE_WINDOW_MS = 1200;

/** Pages mark their main filter/search field with this attribute; "/" focuses the first one. */
export const FILTER_FIELD_ATTR = 'data-shortcut-filter';
export const filterFieldProps = { [FILTER_FIELD_ATTR]: 'true' } as Record<string, string>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

export function focusFirstFilter(): boolean {
  const field =
    document.querySelector<HTMLElement>(`main [${FILTER_FIELD_ATTR}]`) ??
    document.querySelector<HTMLElement>('main input:not([type=hidden]):not([disabled]), main select');
  if (!field) return false;
  field.focus();
  return true;
}

export function useShortcuts(jumps: Jump[], go: (path: string) => void, openHelp: () => void, enabled: boolean): void {
  const pendingG = useRef(0);
  const latest = useRef({ jumps, go, openHelp });
  latest.current = { jumps, go, openHelp };

  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('[role=dialog]')) return;
      const { jumps: list, go: goTo, openHelp: help } = latest.current;
      const key = event.key.toLowerCase();
      const now = Date.now();

      if (pendingG.current && now - pendingG.current < SEQUENCE_WINDOW_MS) {
        pendingG.current = 0;
        const jump = list.find((item) => item.key === key);
        if (jump) {
          event.preventDefault();
          goTo(jump.path);
        }
        return;
      }
      pendingG.current = 0;
      if (key === 'g' && !event.shiftKey) {
        pendingG.current = now;
      } else if (event.key === '?') {
        event.preventDefault();
        help();
      } else if (event.key === '/') {
        if (focusFirstFilter()) event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
