// The pieces of the PCS builder panel: a character slot and an option row.
import { Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { PcsOption } from './types';

interface SlotProps {
  position: number;
  char: string;
  label: string | undefined;
  axisTitle: string | undefined;
  kind: 'chosen' | 'pending' | 'current' | 'empty';
  onGo: () => void;
}

/** One of the seven characters: a chosen one goes back to its position when clicked. */
export function Slot({ position, char, label, axisTitle, kind, onGo }: SlotProps) {
  const border =
    kind === 'current'
      ? '2px dashed var(--mantine-primary-color-filled)'
      : kind === 'chosen'
        ? '1px solid var(--mantine-primary-color-light-color)'
        : '1px solid var(--mantine-color-default-border)';
  const body = (
    <Stack gap={0} align="center" px={4} py={4}>
      <Text size="xs" c="dimmed" truncate="end" maw="100%">
        {axisTitle ?? `Character ${position}`}
      </Text>
      <Text ff="monospace" fw={700} fz={26} lh={1.2} c={kind === 'pending' ? 'dimmed' : undefined}>
        {char || (kind === 'current' ? '?' : '·')}
      </Text>
      <Text size="xs" lineClamp={2} ta="center" mih={32} c={kind === 'chosen' ? undefined : 'dimmed'}>
        {kind === 'pending' ? 'waiting…' : (label ?? '')}
      </Text>
    </Stack>
  );
  const common = {
    'data-testid': 'pcs-slot',
    'data-position': position,
    'data-char': char,
    'data-state': kind,
    style: { flex: '1 1 0', minWidth: 0, border, borderRadius: 'var(--mantine-radius-sm)' },
  };
  if (kind !== 'chosen') {
    return (
      <Box {...common} aria-current={kind === 'current' ? 'step' : undefined}>
        {body}
      </Box>
    );
  }
  return (
    <UnstyledButton {...common} onClick={onGo} aria-label={`Character ${position}, ${axisTitle ?? ''}: ${char}${label ? ` ${label}` : ''}. Choose it again.`} title="Choose this character again">
      {body}
    </UnstyledButton>
  );
}

interface OptionRowProps {
  id: string;
  option: PcsOption;
  active: boolean;
  onPick: () => void;
}

/** A value of the axis; the highlighted one shows its definition, explanation and inclusions in full. */
export function OptionRow({ id, option, active, onPick }: OptionRowProps) {
  const includes = option.includes ?? [];
  const clamp = active ? undefined : 1;
  return (
    <Box
      id={id}
      role="option"
      aria-selected={active}
      data-active={active ? 'true' : undefined}
      data-char={option.char}
      data-testid="pcs-option"
      px="sm"
      py={6}
      onMouseDown={(event) => event.preventDefault()}
      onClick={onPick}
      style={{
        cursor: 'pointer',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: active ? 'var(--mantine-primary-color-light)' : undefined,
        boxShadow: active ? 'inset 3px 0 0 var(--mantine-primary-color-filled)' : undefined,
      }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Text ff="monospace" fw={700} size="lg" lh={1.3} w={20} ta="center" style={{ flexShrink: 0 }}>
          {option.char}
        </Text>
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={600} data-testid="pcs-option-label">
            {option.label}
          </Text>
          {option.labels && active && (
            <Text size="xs" c="dimmed">
              This character means one of these, depending on the row of the table: {option.labels.join('; ')}.
            </Text>
          )}
          {option.definition && (
            <Text size="xs" lineClamp={clamp} data-testid="pcs-option-definition" title={active ? undefined : option.definition}>
              {option.definition}
            </Text>
          )}
          {option.explanation && (active || !option.definition) && (
            <Text size="xs" c="dimmed" lineClamp={clamp} data-testid="pcs-option-explanation">
              {option.explanation}
            </Text>
          )}
          {includes.length > 0 && (
            <Text size="xs" c="dimmed" lineClamp={clamp} data-testid="pcs-option-includes" title={active ? undefined : includes.join('; ')}>
              Includes: {includes.join('; ')}
            </Text>
          )}
        </Stack>
      </Group>
    </Box>
  );
}
