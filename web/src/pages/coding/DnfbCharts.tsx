// The HIM director's daily number: DNFB cases and dollars by reason × age band (table and bars), and the trend of
// the daily snapshots.
import { BarChart, LineChart } from '@mantine/charts';
import { Grid, Paper, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { BLOCKER_LABEL, formatMoney } from './format';
import { AGE_BANDS, BLOCKERS, type TrendPoint, type Worklist } from './types';

const BAR_COLORS = { not_coded: 'gray.6', open_query: 'yellow.6', failing_edit: 'red.6' } as const;

export function DnfbTotals({ totals }: { totals: Worklist['totals'] }) {
  const bars = useMemo(
    () => AGE_BANDS.map((band) => ({ band, ...Object.fromEntries(BLOCKERS.map((b) => [b, totals[b]?.[band]?.cases ?? 0])) })),
    [totals],
  );
  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="sm">
          <Text size="sm" fw={500} mb="xs">
            Cases and expected payment by reason and days since discharge
          </Text>
          <Table fz="sm" verticalSpacing={4} data-testid="dnfb-totals">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reason</Table.Th>
                {AGE_BANDS.map((band) => (
                  <Table.Th key={band} ta="right">
                    {band} d
                  </Table.Th>
                ))}
                <Table.Th ta="right">All</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {BLOCKERS.map((b) => {
                const row = totals[b] ?? {};
                const cases = AGE_BANDS.reduce((n, band) => n + (row[band]?.cases ?? 0), 0);
                const amount = AGE_BANDS.reduce((n, band) => n + (row[band]?.amount ?? 0), 0);
                return (
                  <Table.Tr key={b} data-testid="dnfb-totals-row" data-reason={b} data-cases={cases}>
                    <Table.Td>{BLOCKER_LABEL[b]}</Table.Td>
                    {AGE_BANDS.map((band) => (
                      <Table.Td key={band} ta="right">
                        <Cell cases={row[band]?.cases ?? 0} amount={row[band]?.amount ?? 0} />
                      </Table.Td>
                    ))}
                    <Table.Td ta="right" fw={600}>
                      <Cell cases={cases} amount={amount} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder p="sm" role="figure" aria-label="DNFB cases by age band and reason" data-testid="dnfb-bars">
          <Text size="sm" fw={500} mb="xs">
            Cases by days since discharge
          </Text>
          <BarChart
            h={150}
            data={bars}
            dataKey="band"
            series={BLOCKERS.map((b) => ({ name: b, label: BLOCKER_LABEL[b], color: BAR_COLORS[b] }))}
            tickLine="y"
            gridAxis="y"
            maxBarWidth={18}
            yAxisProps={{ allowDecimals: false }}
            withLegend
          />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function Cell({ cases, amount }: { cases: number; amount: number }) {
  if (cases === 0) return <Text span c="dimmed" size="sm">0</Text>;
  return (
    <>
      {cases}
      <Text span size="xs" c="dimmed" display="block">
        {formatMoney(amount)}
      </Text>
    </>
  );
}

/** Daily snapshots summed over the age bands: all DNFB cases, and each reason. */
export function DnfbTrend({ points }: { points: TrendPoint[] }) {
  const data = useMemo(() => {
    const days = new Map<string, Record<string, number | string>>();
    for (const p of points) {
      const day = days.get(p.day) ?? { day: p.day };
      day[p.reason] = (Number(day[p.reason] ?? 0) || 0) + p.cases;
      days.set(p.day, day);
    }
    return [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  }, [points]);
  return (
    <Paper withBorder p="sm" role="figure" aria-label="DNFB trend from daily snapshots" data-testid="dnfb-trend" data-days={data.length}>
      <Text size="sm" fw={500} mb="xs">
        Trend (daily snapshots, last 90 days)
      </Text>
      {data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No snapshot yet: one is taken each day the work list is opened.
        </Text>
      ) : (
        <LineChart
          h={140}
          data={data}
          dataKey="day"
          series={[{ name: 'all', label: 'All DNFB', color: 'indigo.6' }, ...BLOCKERS.map((b) => ({ name: b, label: BLOCKER_LABEL[b], color: BAR_COLORS[b] }))]}
          curveType="linear"
          withDots={data.length < 40}
          tickLine="y"
          gridAxis="y"
          yAxisProps={{ allowDecimals: false }}
          connectNulls
        />
      )}
    </Paper>
  );
}
