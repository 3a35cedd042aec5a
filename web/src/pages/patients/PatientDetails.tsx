// A patient's demographics and identifiers as read-only lists (the SSN arrives masked from the server).
import { Badge, Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ageOn, displayName, sexLabel } from './format';
import type { Demographics, PatientView, RelatedPerson } from './types';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Th w={150} fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td data-testid={testId}>{children || <Text span c="dimmed">—</Text>}</Table.Td>
    </Table.Tr>
  );
}

/** A next of kin or guarantor on one line: name · relationship · phone · address. */
function person(p: RelatedPerson): string {
  const a = p.address;
  return [p.name, p.relationship, p.phone, a && [a.line1, a.line2, a.city, a.state, a.postalCode].filter(Boolean).join(', ')].filter(Boolean).join(' · ');
}

function Use({ use }: { use?: string | undefined }) {
  if (!use) return null;
  return (
    <Badge size="xs" variant="outline" color="gray" ml={6} tt="none">
      {use}
    </Badge>
  );
}

export function DemographicsTable({ d, testId }: { d: Demographics; testId?: string }) {
  const age = ageOn(d.birthDate);
  return (
    <Table verticalSpacing={4} fz="sm" data-testid={testId} withRowBorders={false}>
      <Table.Tbody>
        <Row label="Names" testId="patient-names">
          <Stack gap={2}>
            {d.names.map((n, i) => (
              <Text key={i} size="sm" data-testid="patient-name-entry" data-use={n.use}>
                {displayName({ family: n.family, given: n.given, middle: n.middle ?? '', suffix: n.suffix ?? '' })}
                <Use use={n.use} />
              </Text>
            ))}
          </Stack>
        </Row>
        <Row label="Birth date" testId="patient-birth-date">
          {d.birthDate ? `${d.birthDate}${age !== null ? ` (age ${age})` : ''}` : ''}
        </Row>
        <Row label="Sex">{sexLabel(d.sex)}</Row>
        <Row label="SSN" testId="patient-ssn">
          {d.ssn ? <Text span ff="monospace" size="sm">{d.ssn}</Text> : ''}
        </Row>
        <Row label="Addresses">
          <Stack gap={2}>
            {d.addresses.map((a, i) => (
              <Text key={i} size="sm" data-testid="patient-address" data-use={a.use}>
                {[a.line1, a.line2, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(', ')}
                <Use use={a.use} />
              </Text>
            ))}
          </Stack>
        </Row>
        <Row label="Phones">
          <Stack gap={2}>
            {d.phones.map((p, i) => (
              <Text key={i} size="sm" data-testid="patient-phone" data-use={p.use}>
                {p.number}
                <Use use={p.use} />
              </Text>
            ))}
          </Stack>
        </Row>
        <Row label="Email">{d.email ?? ''}</Row>
        <Row label="Language">{d.language ?? ''}</Row>
        <Row label="Race / ethnicity">{[d.race, d.ethnicity].filter(Boolean).join(' / ')}</Row>
        <Row label="Marital status">{d.maritalStatus ?? ''}</Row>
        <Row label="Next of kin">
          <Stack gap={2}>
            {d.nextOfKin.map((k, i) => (
              <Text key={i} size="sm" data-testid="patient-kin">
                {person(k)}
              </Text>
            ))}
          </Stack>
        </Row>
        <Row label="Guarantor" testId="patient-guarantor">{d.guarantor ? person(d.guarantor) : ''}</Row>
        <Row label="Coverage">
          <Stack gap={2}>
            {d.coverages.map((c, i) => (
              <Text key={i} size="sm" data-testid="patient-coverage">
                {c.payer}
                {c.plan ? ` ${c.plan}` : ''}
                {c.memberId ? ` · member ${c.memberId}` : ''}
                {c.groupNumber ? ` · group ${c.groupNumber}` : ''}
                {c.subscriber ? ` · subscriber ${c.subscriber}${c.relationship ? ` (${c.relationship})` : ''}` : ''}
              </Text>
            ))}
          </Stack>
        </Row>
      </Table.Tbody>
    </Table>
  );
}

export function PatientDetails({ patient }: { patient: PatientView }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
      <Card withBorder padding="md" style={{ gridColumn: 'span 2' }}>
        <Title order={4} mb="xs">
          Demographics
        </Title>
        <DemographicsTable d={patient.demographics} testId="patient-demographics" />
      </Card>
      <Card withBorder padding="md">
        <Title order={4} mb="xs">
          Identifiers
        </Title>
        <Table verticalSpacing={4} fz="sm" data-testid="patient-identifiers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Authority</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {patient.identifiers.map((i) => (
              <Table.Tr key={`${i.authority}:${i.value}`} data-testid="patient-identifier">
                <Table.Td>{i.authority}</Table.Td>
                <Table.Td>{i.type}</Table.Td>
                <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }} data-testid={i.type === 'PI' ? 'patient-enterprise-id' : undefined}>
                  {i.value}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </SimpleGrid>
  );
}
