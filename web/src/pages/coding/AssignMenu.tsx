// The assign menu of the DNFB list: type part of a coder's name, Enter takes the first match (↑/↓ choose another);
// "Unassign" is offered only while nothing or "unassign" is typed, so a typo and Enter never unassigns by accident.
import { Button, Menu, Text } from '@mantine/core';
import { useState, type KeyboardEvent } from 'react';
import type { Coder } from './types';

interface AssignMenuProps {
  opened: boolean;
  onChange: (opened: boolean) => void;
  coders: Coder[];
  me: string;
  /** How many cases the menu assigns (the ticked rows, else the focused one). */
  count: number;
  disabled: boolean;
  onAssign: (userId: string | null) => void;
}

function matches(c: Coder, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || c.displayName.toLowerCase().includes(q) || c.username.toLowerCase().includes(q);
}

export function AssignMenu({ opened, onChange, coders, me, count, disabled, onAssign }: AssignMenuProps) {
  const [query, setQuery] = useState('');
  const shown = coders.filter((c) => matches(c, query));
  const offerUnassign = query.trim() === '' || 'unassign'.startsWith(query.trim().toLowerCase());

  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    const dropdown = event.currentTarget.closest('[data-menu-dropdown]');
    if (!dropdown || dropdown.querySelector('[data-menu-active]')) return;
    const first = dropdown.querySelector<HTMLElement>('[data-menu-item]:not([data-disabled])');
    if (first) {
      event.preventDefault();
      first.click();
    }
  };

  return (
    <Menu opened={opened} onChange={onChange} position="bottom-start" width={280} withinPortal onClose={() => setQuery('')}>
      <Menu.Target>
        <Button size="xs" variant="light" disabled={disabled} data-testid="dnfb-assign-button">
          Assign {count > 1 ? `${count} cases` : 'case'}…
        </Button>
      </Menu.Target>
      <Menu.Dropdown data-testid="dnfb-assign-menu">
        <Menu.Label>
          Assign {count} {count === 1 ? 'case' : 'cases'} to
        </Menu.Label>
        <Menu.Search
          placeholder="Coder's name"
          aria-label="Coder's name"
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={onSearchKey}
          data-testid="dnfb-assign-search"
        />
        {shown.map((c) => (
          <Menu.Item key={c.id} onClick={() => onAssign(c.id)} data-testid="dnfb-assign-option" data-user-id={c.id}>
            {c.displayName}
            {c.id === me && (
              <Text span size="xs" c="dimmed" ml={6}>
                (me)
              </Text>
            )}
          </Menu.Item>
        ))}
        {shown.length === 0 && !offerUnassign && (
          <Text size="sm" c="dimmed" px="sm" py={6}>
            No coder matches.
          </Text>
        )}
        {offerUnassign && (
          <>
            <Menu.Divider />
            <Menu.Item color="red" onClick={() => onAssign(null)} data-testid="dnfb-assign-none">
              Unassign
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
