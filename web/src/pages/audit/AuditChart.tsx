import { BarChart } from '@mantine/charts';
import { Paper, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { AuditEvent } from '../../api/types';
import { localDay } from '../../components/format';

/** Events per local day among the rows on screen (this page of results, not the whole report). */
export function AuditChart({ events }: { events: AuditEvent[] }) {
  const data = useMemo(() => {
    const counts = new Map<string, number>();
    for (const event of events) {
      const day = localDay(event.time);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
    return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, count]) => ({ day, events: count }));
  }, [events]);

  if (data.length === 0) return null;
  return (
    <Paper withBorder p="sm" data-testid="audit-chart" role="figure" aria-label="Events per day for the rows shown">
      <Text size="sm" fw={500} mb="xs">
        Events per day (rows shown)
      </Text>
      <BarChart
        h={160}
        data={data}
        dataKey="day"
        series={[{ name: 'events', label: 'Events', color: 'indigo.6' }]}
        tickLine="y"
        gridAxis="y"
        maxBarWidth={40}
        yAxisProps={{ allowDecimals: false }}
      />
    </Paper>
  );
}
