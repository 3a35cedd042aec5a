// Two patients side by side, field by field; a field the two disagree on is highlighted, one only one of them
// has is marked as missing on the other side.
import { Anchor, Table, Text } from '@mantine/core';
import { Link } from '../../router';
import { displayName, sexLabel } from './format';
import type { PatientView } from './types';

interface Field {
  label: string;
  value: (p: PatientView) => string;
  /** The form the comparison uses (case, punctuation and spacing ignored by default). */
  norm?: (s: string) => string;
}

const loose = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const digitsOnly = (s: string) => s.replace(/\D/g, '');

const FIELDS: Field[] = [
  { label: 'Family name', value: (p) => p.name.family },
  { label: 'Given name', value: (p) => p.name.given },
  { label: 'Middle name', value: (p) => p.name.middle },
  { label: 'Suffix', value: (p) => p.name.suffix },
  { label: 'Birth date', value: (p) => p.birthDate ?? '' },
  { label: 'Sex', value: (p) => (p.sex && p.sex !== 'U' ? sexLabel(p.sex) : '') },
  { label: 'SSN', value: (p) => p.demographics.ssn ?? '' },
  { label: 'Address', value: (p) => p.demographics.addresses[0]?.line1 ?? '' },
  { label: 'City', value: (p) => [p.demographics.addresses[0]?.city, p.demographics.addresses[0]?.state].filter(Boolean).join(', ') },
  { label: 'ZIP', value: (p) => p.demographics.addresses[0]?.postalCode ?? '' },
  { label: 'Phone', value: (p) => p.demographics.phones[0]?.number ?? '', norm: (s) => digitsOnly(s).slice(-10) },
  { label: 'Email', value: (p) => p.demographics.email ?? '' },
  { label: 'Other names', value: (p) => p.demographics.names.slice(1).map((n) => `${n.given} ${n.family}`).join('; ') },
];

export type Agreement = 'same' | 'different' | 'missing' | 'empty';

export function agreement(a: string, b: string, norm: (s: string) => string = loose): Agreement {
  const x = norm(a);
  const y = norm(b);
  if (!x && !y) return 'empty';
  if (!x || !y) return 'missing';
  return x === y ? 'same' : 'different';
}

const BG: Record<Agreement, string | undefined> = { same: undefined, empty: undefined, missing: 'var(--mantine-color-gray-1)', different: 'var(--mantine-color-yellow-1)' };

export function PairCompare({ a, b }: { a: PatientView; b: PatientView }) {
  return (
    <Table verticalSpacing={2} fz="sm" withColumnBorders data-testid="pair-compare">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={120} />
          {[a, b].map((p, i) => (
            <Table.Th key={p.id} data-testid={`pair-${i === 0 ? 'a' : 'b'}`}>
              <Anchor component={Link} href={`/patients/${p.id}`} size="sm" fw={700}>
                {displayName(p.name)}
              </Anchor>
              <Text size="xs" c="dimmed">
                MRN <Text span ff="monospace" inherit>{p.mrn}</Text> · v{p.version}
              </Text>
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {FIELDS.map((f) => {
          const va = f.value(a);
          const vb = f.value(b);
          const state = agreement(va, vb, f.norm);
          if (state === 'empty') return null;
          return (
            <Table.Tr key={f.label} data-testid="pair-field" data-field={f.label} data-agreement={state}>
              <Table.Th fw={500} c="dimmed">
                {f.label}
              </Table.Th>
              {[va, vb].map((v, i) => (
                <Table.Td key={i} bg={BG[state]} fw={state === 'different' ? 600 : undefined}>
                  {v || (
                    <Text span c="dimmed" size="sm">
                      —
                    </Text>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
