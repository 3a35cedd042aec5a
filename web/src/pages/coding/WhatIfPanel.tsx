// Documentation opportunities for CDI: which more specific code or secondary diagnosis would change the DRG *if
// the physician documented it*. Shown, never added to the abstract.
import { Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { drgLabel, sendable, signedMoney, signedWeight } from './format';
import type { Abstract, WhatIf } from './types';

export function WhatIfPanel({ encounterId, abstract }: { encounterId: string; abstract: Abstract }) {
  const [answer, setAnswer] = useState<WhatIf | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await api.post<WhatIf>(`/api/coding/cases/${encodeURIComponent(encounterId)}/what-if`, { abstract: sendable(abstract) }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid="whatif-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>What if documented</Title>
          <Button size="compact-sm" variant="light" onClick={() => void run()} loading={busy} disabled={!abstract.principalDx} data-testid="whatif-run">
            Find opportunities
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Documentation opportunities for CDI, if documented — never added to the abstract. Query the physician; code only what is documented.
        </Text>
        <ErrorAlert message={error} />
        {busy && <Loader size="xs" />}
        {answer && answer.items.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="whatif-none">
            No more specific code or secondary diagnosis would change DRG {drgLabel(answer.base?.drg)}.
          </Text>
        )}
        {answer && answer.items.length > 0 && (
          <Table fz="xs" verticalSpacing={2} data-testid="whatif-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>If documented</Table.Th>
                <Table.Th>DRG</Table.Th>
                <Table.Th ta="right">Weight</Table.Th>
                <Table.Th ta="right">Payment</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.items.map((item) => (
                <Table.Tr key={`${item.kind}-${item.replaces ?? ''}-${item.code}`} data-testid="whatif-row" data-code={item.code} data-drg={item.drg}>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Text span ff="monospace" size="xs">
                        {item.code}
                      </Text>
                      <Badge size="xs" variant="light" color={item.severity === 'MCC' ? 'grape' : item.severity === 'CC' ? 'blue' : 'gray'}>
                        {item.severity}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {item.kind === 'specificity' ? `instead of ${item.replaces ?? ''}` : 'as a secondary diagnosis'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {drgLabel(item.drg)}
                    {item.drgTitle && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {item.drgTitle}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{signedWeight(item.weightChange)}</Table.Td>
                  <Table.Td ta="right">{signedMoney(item.expectedPaymentChange)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
