// The abstract's fields: principal diagnosis and its POA, admitting diagnosis, secondary diagnoses with POA,
// procedures with date and operating physician, disposition, admit source and type, birth weight. Every code
// field has the encoder behind it and shows its check and its MCE edits.
import { ActionIcon, Button, Divider, Group, NativeSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { CodeField } from './CodeField';
import { bareCode } from './format';
import { POA_CHOICES, type Abstract, type CodeCheck, type CodeRole, type Evaluation, type MceEdit, type Poa } from './types';

const POA_OPTIONS = [
  { value: '', label: '—' },
  ...POA_CHOICES.map((p) => ({ value: p, label: p === '1' ? '1 (exempt)' : p })),
];

export const MAX_SECONDARY = 24;
export const MAX_PROCEDURES = 25;

function checkFor(evaluation: Evaluation | null, role: CodeRole, code: string): CodeCheck | undefined {
  if (!code.trim()) return undefined;
  return evaluation?.checks.find((c) => c.role === role && bareCode(c.code) === bareCode(code));
}

interface AbstractFormProps {
  value: Abstract;
  onChange: (next: Abstract) => void;
  evaluation: Evaluation | null;
  date: string | null;
  locked: boolean;
}

export function AbstractForm({ value: a, onChange, evaluation, date, locked }: AbstractFormProps) {
  const edits: MceEdit[] = evaluation?.edits?.edits ?? [];
  const editsOf = (role: string) => edits.filter((e) => e.role === role);
  const pdxEdits = editsOf('principal');
  const sdxEdits = editsOf('secondary');
  const set = (patch: Partial<Abstract>) => onChange({ ...a, ...patch });
  const setSecondary = (index: number, patch: Partial<Abstract['secondary'][number]>) => set({ secondary: a.secondary.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  const setProcedure = (index: number, patch: Partial<Abstract['procedures'][number]>) => set({ procedures: a.procedures.map((p, i) => (i === index ? { ...p, ...patch } : p)) });
  const exempt = (role: CodeRole, code: string) => checkFor(evaluation, role, code)?.poaExempt === true;

  return (
    <Stack gap="sm" data-testid="abstract-form">
      <Title order={4}>Diagnoses</Title>
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <CodeField
          label="Principal diagnosis"
          value={a.principalDx ?? ''}
          onChange={(code) => set({ principalDx: code || null })}
          system="icd10cm"
          date={date}
          check={checkFor(evaluation, 'principal', a.principalDx ?? '')}
          edits={pdxEdits}
          disabled={locked}
          testId="pdx"
          autoFocus={!locked}
        />
        <NativeSelect label="POA" data={POA_OPTIONS} value={a.principalPoa} onChange={(e) => set({ principalPoa: e.currentTarget.value as Poa })} disabled={locked} data-testid="pdx-poa" w={110} />
        <CodeField
          label="Admitting diagnosis"
          value={a.admittingDx ?? ''}
          onChange={(code) => set({ admittingDx: code || null })}
          system="icd10cm"
          date={date}
          check={checkFor(evaluation, 'admitting', a.admittingDx ?? '')}
          edits={editsOf('admit')}
          disabled={locked}
          testId="admit-dx"
        />
      </Group>
      <Divider label={`Secondary diagnoses (${a.secondary.length} of ${MAX_SECONDARY})`} labelPosition="left" />
      {a.secondary.map((s, index) => (
        <Group key={index} align="flex-start" gap="sm" wrap="nowrap" data-testid="sdx-row">
          <Text size="sm" c="dimmed" w={20} mt={8}>
            {index + 1}
          </Text>
          <CodeField
            value={s.code}
            onChange={(code) => setSecondary(index, { code })}
            system="icd10cm"
            date={date}
            check={checkFor(evaluation, 'secondary', s.code)}
            edits={sdxEdits}
            disabled={locked}
            testId={`sdx-${index}`}
            autoFocus={!locked && s.code === '' && index === a.secondary.length - 1}
          />
          <NativeSelect
            aria-label={`POA of secondary diagnosis ${index + 1}`}
            data={POA_OPTIONS}
            value={s.poa}
            onChange={(e) => setSecondary(index, { poa: e.currentTarget.value as Poa })}
            disabled={locked}
            data-testid={`sdx-${index}-poa`}
            w={110}
            error={!locked && s.code.trim() !== '' && s.poa === '' && !exempt('secondary', s.code) ? 'POA?' : undefined}
          />
          <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove secondary diagnosis ${index + 1}`} disabled={locked} onClick={() => set({ secondary: a.secondary.filter((_, i) => i !== index) })}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {!locked && (
        <Button
          variant="subtle"
          size="compact-sm"
          w="fit-content"
          disabled={a.secondary.length >= MAX_SECONDARY}
          onClick={() => set({ secondary: [...a.secondary, { code: '', poa: '' }] })}
          data-testid="sdx-add"
        >
          Add a secondary diagnosis
        </Button>
      )}
      <Divider label={`Procedures (${a.procedures.length} of ${MAX_PROCEDURES})`} labelPosition="left" />
      {a.procedures.map((p, index) => (
        <Group key={index} align="flex-start" gap="sm" wrap="nowrap" data-testid="proc-row">
          <Text size="sm" c="dimmed" w={20} mt={8}>
            {index + 1}
          </Text>
          <CodeField
            value={p.code}
            onChange={(code) => setProcedure(index, { code })}
            system="icd10pcs"
            date={date}
            check={checkFor(evaluation, 'procedure', p.code)}
            edits={editsOf('procedure')}
            disabled={locked}
            testId={`proc-${index}`}
            autoFocus={!locked && p.code === '' && index === a.procedures.length - 1}
            placeholder="PCS code or words"
          />
          <TextInput aria-label={`Date of procedure ${index + 1}`} type="date" value={p.date ?? ''} onChange={(e) => setProcedure(index, { date: e.currentTarget.value || null })} disabled={locked} w={150} data-testid={`proc-${index}-date`} />
          <TextInput aria-label={`Operating physician NPI of procedure ${index + 1}`} placeholder="NPI" value={p.physicianNpi ?? ''} maxLength={10} onChange={(e) => setProcedure(index, { physicianNpi: e.currentTarget.value || null })} disabled={locked} w={120} />
          <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove procedure ${index + 1}`} disabled={locked} onClick={() => set({ procedures: a.procedures.filter((_, i) => i !== index) })}>
            ×
          </ActionIcon>
        </Group>
      ))}
      {!locked && (
        <Button
          variant="subtle"
          size="compact-sm"
          w="fit-content"
          disabled={a.procedures.length >= MAX_PROCEDURES}
          onClick={() => set({ procedures: [...a.procedures, { code: '', date: null, physicianNpi: null }] })}
          data-testid="proc-add"
        >
          Add a procedure
        </Button>
      )}
      <Divider label="Encounter" labelPosition="left" />
      <Group gap="sm">
        <TextInput label="Discharge disposition" value={a.dischargeDisposition ?? ''} maxLength={2} onChange={(e) => set({ dischargeDisposition: e.currentTarget.value || null })} disabled={locked} w={150} />
        <TextInput label="Admit source" value={a.admitSource ?? ''} maxLength={2} onChange={(e) => set({ admitSource: e.currentTarget.value || null })} disabled={locked} w={110} />
        <TextInput label="Admit type" value={a.admitType ?? ''} maxLength={2} onChange={(e) => set({ admitType: e.currentTarget.value || null })} disabled={locked} w={110} />
        <NumberInput
          label="Birth weight (g)"
          value={a.birthWeightGrams ?? ''}
          onChange={(v) => set({ birthWeightGrams: typeof v === 'number' ? v : null })}
          min={100}
          max={9000}
          allowDecimal={false}
          disabled={locked}
          w={140}
        />
      </Group>
    </Stack>
  );
}
