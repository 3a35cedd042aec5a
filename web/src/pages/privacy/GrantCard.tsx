import { Badge, Blockquote, Card, Group, Stack, Table, Text } from '@mantine/core';
import type { BreakGlassReview } from '../../api/types';
import { formatDateTime } from '../../components/format';

export function grantUser(review: BreakGlassReview): string {
  const { grant, events } = review;
  return grant.displayName ?? grant.username ?? grant.userId ?? events[0]?.username ?? events[0]?.userId ?? 'Unknown user';
}

export function GrantCard({ review }: { review: BreakGlassReview }) {
  const { grant, events } = review;
  const now = Date.now();
  const active = new Date(grant.startsAt).getTime() <= now && now < new Date(grant.endsAt).getTime();
  return (
    <Card withBorder padding="md" component="article" data-testid="break-glass-grant" aria-label={`Break-glass access to patient ${grant.patientId}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Text fw={700}>{grantUser(review)}</Text>
            <Text c="dimmed">opened patient</Text>
            <Text fw={700} ff="monospace">
              {grant.patientId}
            </Text>
          </Group>
          <Group gap="xs">
            {active && (
              <Badge color="red" variant="filled">
                Active now
              </Badge>
            )}
            <Badge color={events.length > 0 ? 'orange' : 'gray'} variant="light">
              {events.length} flagged {events.length === 1 ? 'event' : 'events'}
            </Badge>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {formatDateTime(grant.startsAt)} – {formatDateTime(grant.endsAt)}
        </Text>
        <Blockquote p="sm" color="gray" data-testid="break-glass-reason">
          {grant.reason}
        </Blockquote>
        {events.length > 0 && (
          <Table.ScrollContainer minWidth={700}>
            <Table fz="sm" verticalSpacing={4} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Resource</Table.Th>
                  <Table.Th>Channel</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((event) => (
                  <Table.Tr key={event.id} data-testid="break-glass-event">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.time, true)}</Table.Td>
                    <Table.Td>{event.username ?? event.userId ?? ''}</Table.Td>
                    <Table.Td ff="monospace">{event.action}</Table.Td>
                    <Table.Td>{[event.resourceType, event.resourceId].filter(Boolean).join(' ')}</Table.Td>
                    <Table.Td>{event.channel}</Table.Td>
                    <Table.Td>{event.outcome}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}
