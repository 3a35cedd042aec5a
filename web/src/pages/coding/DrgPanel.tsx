// The working DRG beside the abstract: DRG, MDC, weight, expected payment, the version notice, each secondary
// diagnosis's use (MCC, CC, excluded) and the grouper's trace one click away; edits not tied to a code.
import { Alert, Badge, Button, Collapse, Divider, Group, List, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { drgLabel, formatMoney, formatWeight } from './format';
import type { Evaluation, MceEdit } from './types';

const USE_COLOR: Record<string, string> = { MCC: 'grape', CC: 'blue' };

export function DrgPanel({ evaluation, loading, error }: { evaluation: Evaluation | null; loading: boolean; error: string | null }) {
  const [traceOpen, trace] = useDisclosure(false);
  const grouping = evaluation?.grouping ?? null;
  const r = grouping?.result ?? null;
  const loose: MceEdit[] = evaluation?.edits?.edits.filter((e) => e.role === 'claim' || !e.code) ?? [];
  return (
    <Paper withBorder p="sm" data-testid="drg-panel" aria-live="polite" aria-busy={loading}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Working DRG</Title>
          {loading && <Loader size="xs" data-testid="drg-loading" />}
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {!r && !evaluation?.grouperError && (
          <Text size="sm" c="dimmed" data-testid="drg-none">
            Enter a principal diagnosis to group.
          </Text>
        )}
        {evaluation?.grouperError && (
          <Alert color="orange" variant="light" p="xs" data-testid="drg-error">
            {evaluation.grouperError}
          </Alert>
        )}
        {grouping?.notice && (
          <Alert color="yellow" variant="light" p="xs" data-testid="drg-notice">
            {grouping.notice}
          </Alert>
        )}
        {evaluation?.codeSetNotice && (
          <Alert color="yellow" variant="light" p="xs" data-testid="codeset-notice">
            {evaluation.codeSetNotice}
          </Alert>
        )}
        {r && grouping && (
          <>
            <Group gap="xs" align="baseline">
              <Text fz={32} fw={700} lh={1} data-testid="drg-value" data-drg={r.drg}>
                {drgLabel(r.drg)}
              </Text>
              <Text size="sm" c="dimmed">
                MDC <span data-testid="drg-mdc">{r.mdc === null ? '—' : String(r.mdc).padStart(2, '0')}</span>
                {r.medSurg ? ` · ${r.medSurg}` : ''}
                {r.severity ? ` · ${r.severity}` : ''}
              </Text>
            </Group>
            {r.returnCode !== 'OK' && (
              <Badge color="red" variant="light" data-testid="drg-return-code">
                {r.returnCode}
              </Badge>
            )}
            <Table fz="sm" verticalSpacing={2} withRowBorders={false}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td c="dimmed">Weight</Table.Td>
                  <Table.Td ta="right" data-testid="drg-weight" data-weight={r.weight ?? ''}>
                    {formatWeight(r.weight)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">Expected payment</Table.Td>
                  <Table.Td ta="right" data-testid="drg-payment">
                    {formatMoney(grouping.expectedPayment, true)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">GMLOS / AMLOS</Table.Td>
                  <Table.Td ta="right">
                    {r.gmlos ?? '—'} / {r.amlos ?? '—'}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td c="dimmed">Grouper</Table.Td>
                  <Table.Td ta="right" data-testid="drg-version">
                    MS-DRG {grouping.version}
                  </Table.Td>
                </Table.Tr>
                {r.initial && r.initial.drg !== r.drg && (
                  <Table.Tr>
                    <Table.Td c="dimmed">Initial DRG (before HAC)</Table.Td>
                    <Table.Td ta="right">{drgLabel(r.initial.drg)}</Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
            {r.sdx.length > 0 && (
              <>
                <Divider label="Secondary diagnoses" labelPosition="left" />
                <Stack gap={2}>
                  {r.sdx.map((s) => (
                    <Group key={s.code} gap={6} wrap="nowrap" data-testid="drg-sdx" data-code={s.code} data-flag={s.flag}>
                      <Text size="sm" ff="monospace" w={64}>
                        {s.code}
                      </Text>
                      <Badge size="xs" variant="light" color={USE_COLOR[s.flag] ?? 'gray'}>
                        {s.flag}
                      </Badge>
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {s.impact}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              </>
            )}
            <Button variant="subtle" size="compact-sm" onClick={trace.toggle} data-testid="drg-trace-toggle" aria-expanded={traceOpen}>
              {traceOpen ? 'Hide the trace' : 'Why this DRG? (trace)'}
            </Button>
            <Collapse expanded={traceOpen}>
              <List size="xs" spacing={2} data-testid="drg-trace">
                {r.trace.map((line, i) => (
                  <List.Item key={i}>{line}</List.Item>
                ))}
              </List>
            </Collapse>
          </>
        )}
        {evaluation?.edits && (
          <>
            <Divider label={`Code editor (MCE ${evaluation.edits.version})`} labelPosition="left" />
            <Text size="xs" data-testid="mce-edit-type" data-edit-type={evaluation.edits.editType}>
              {evaluation.edits.edits.length === 0 ? 'No edits.' : `${evaluation.edits.edits.length} edit(s) · ${evaluation.edits.editType}`}
            </Text>
            {loose.map((e) => (
              <Text key={`${e.edit}-${e.position ?? ''}`} size="xs" c={e.counted ? 'red.8' : 'dimmed'} data-testid="mce-claim-edit" data-edit={e.edit}>
                {e.edit}: {e.explanation}
              </Text>
            ))}
          </>
        )}
        {evaluation?.editError && (
          <Text size="xs" c="orange.8" data-testid="mce-error">
            {evaluation.editError}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
