// Every version of the demographics (nothing is overwritten), newest first, with who, when, how and why.
import { Accordion, Badge, Group, Text } from '@mantine/core';
import { formatDateTime, humanize } from '../../components/format';
import { displayName } from './format';
import { DemographicsTable } from './PatientDetails';
import type { HistoryItem } from './types';

export function HistoryList({ items }: { items: HistoryItem[] }) {
  return (
    <Accordion variant="separated" data-testid="patient-history">
      {items.map((h) => {
        const n = h.demographics.names[0];
        return (
          <Accordion.Item key={h.version} value={String(h.version)} data-testid="history-item" data-version={h.version} data-source={h.source}>
            <Accordion.Control>
              <Group gap="sm" wrap="nowrap">
                <Badge variant="light" miw={48}>
                  v{h.version}
                </Badge>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(h.recordedAt)}
                </Text>
                <Text size="sm" c="dimmed">
                  {h.recordedBy ?? 'system'} · {humanize(h.source)}
                  {h.reason ? ` · ${h.reason}` : ''}
                </Text>
                <Text size="sm" ml="auto" fw={500}>
                  {n ? displayName({ family: n.family, given: n.given, middle: n.middle ?? '', suffix: n.suffix ?? '' }) : ''} {h.demographics.birthDate ?? ''}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <DemographicsTable d={h.demographics} />
            </Accordion.Panel>
          </Accordion.Item>
        );
      })}
    </Accordion>
  );
}
