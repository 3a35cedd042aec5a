import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import type { Jump } from './shortcuts';

interface ShortcutHelpProps {
  opened: boolean;
  onClose: () => void;
  jumps: Jump[];
}

function Row({ keys, label }: { keys: string[]; label: string }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm">{label}</Text>
      <Group gap={4} wrap="nowrap">
        {keys.map((key, index) => (
          <Group key={`${key}-${index}`} gap={4} wrap="nowrap">
            {index > 0 && (
              <Text size="xs" c="dimmed">
                then
              </Text>
            )}
            <Kbd>{key}</Kbd>
          </Group>
        ))}
      </Group>
    </Group>
  );
}

export function ShortcutHelp({ opened, onClose, jumps }: ShortcutHelpProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" data-testid="shortcut-help">
      <Stack gap="sm">
        {jumps.map((jump) => (
          <Row key={jump.key} keys={['g', jump.key]} label={`Go to ${jump.label}`} />
        ))}
        <Row keys={['/']} label="Focus the page's first filter or search field" />
        <Row keys={['?']} label="Show this help" />
        <Row keys={['Esc']} label="Close a dialog or menu" />
        <Text size="xs" c="dimmed">
          Shortcuts are off while you type in a field.
        </Text>
      </Stack>
    </Modal>
  );
}
