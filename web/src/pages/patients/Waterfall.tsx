// The explanation of a match score as a waterfall: one horizontal bar per field, starting where the running total
// stood, green for evidence for a match and red against, then the total. Plain SVG, readable without colour
// (each bar is labelled with its signed weight).
import { fieldLabel } from './format';
import type { Contribution } from './types';

const WIDTH = 640;
const LABEL = 190;
const VALUE = 56;
const ROW = 22;
const BAR = 14;
const POSITIVE = 'var(--mantine-color-green-6)';
const NEGATIVE = 'var(--mantine-color-red-6)';
const TOTAL = 'var(--mantine-color-indigo-7)';

export interface WaterfallRow {
  label: string;
  level: string;
  weight: number;
  start: number;
  end: number;
  total?: boolean;
}

/** The bars' start and end: the running sum of the contributions, then the total from 0. Pure. */
export function waterfallRows(contributions: Contribution[]): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  let sum = 0;
  for (const c of contributions) {
    if (c.weight === 0 && c.level === 'null') continue;
    rows.push({ label: fieldLabel(c.field), level: c.level, weight: c.weight, start: sum, end: sum + c.weight });
    sum += c.weight;
  }
  rows.push({ label: 'Total', level: 'match weight', weight: sum, start: 0, end: sum, total: true });
  return rows;
}

const signed = (w: number) => `${w > 0 ? '+' : w < 0 ? '−' : ''}${Math.abs(w).toFixed(2)}`;

export function Waterfall({ contributions, score }: { contributions: Contribution[]; score: number }) {
  const rows = waterfallRows(contributions);
  const ends = rows.flatMap((r) => [r.start, r.end]);
  const lo = Math.min(0, ...ends);
  const hi = Math.max(0, ...ends);
  const span = hi - lo || 1;
  const plot = WIDTH - LABEL - VALUE - 8;
  const x = (v: number) => LABEL + ((v - lo) / span) * plot;
  const height = rows.length * ROW + 20;
  return (
    <svg
      role="img"
      aria-label={`Match score ${score.toFixed(2)}: ${rows.filter((r) => !r.total).map((r) => `${r.label} ${r.level} ${signed(r.weight)}`).join(', ')}`}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: WIDTH, fontFamily: 'var(--mantine-font-family)', fontSize: 12 }}
      data-testid="waterfall"
      data-score={score}
    >
      <line x1={x(0)} x2={x(0)} y1={0} y2={height - 16} style={{ stroke: 'var(--mantine-color-gray-5)' }} strokeDasharray="3 3" />
      <text x={x(0)} y={height - 4} textAnchor="middle" style={{ fill: 'var(--mantine-color-dimmed)' }}>
        0
      </text>
      {rows.map((r, i) => {
        const y = i * ROW + 4;
        const left = x(Math.min(r.start, r.end));
        const width = Math.max(1.5, Math.abs(x(r.end) - x(r.start)));
        const fill = r.total ? TOTAL : r.weight >= 0 ? POSITIVE : NEGATIVE;
        return (
          <g key={`${r.label}-${i}`} data-testid={r.total ? 'waterfall-total' : 'waterfall-bar'} data-field={r.label} data-weight={r.weight} data-sign={r.weight >= 0 ? 'positive' : 'negative'}>
            {r.total && <line x1={LABEL} x2={LABEL + plot} y1={y - 3} y2={y - 3} style={{ stroke: 'var(--mantine-color-gray-4)' }} />}
            <text x={0} y={y + BAR - 3} fontWeight={r.total ? 700 : 400} style={{ fill: 'currentColor' }}>
              {r.label}
              <tspan style={{ fill: 'var(--mantine-color-dimmed)' }} fontSize={11}>
                {r.total ? '' : `  ${r.level}`}
              </tspan>
            </text>
            <rect x={left} y={y} width={width} height={BAR} rx={2} style={{ fill }} />
            {!r.total && i > 0 && <line x1={x(r.start)} x2={x(r.start)} y1={y - ROW + BAR + 4} y2={y} style={{ stroke: 'var(--mantine-color-gray-5)' }} />}
            <text x={WIDTH - 4} y={y + BAR - 3} textAnchor="end" fontWeight={r.total ? 700 : 400} style={{ fill: r.total ? 'currentColor' : fill, fontVariantNumeric: 'tabular-nums' }}>
              {signed(r.weight)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
