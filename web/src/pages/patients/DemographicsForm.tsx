// The demographics fields of registration and edit, in the order a registration desk asks for them. Names after
// the official one, addresses, phones, next of kin, the guarantor (one at most) and coverages are lists: rows with a remove button each and an
// "Add …" button that appends a row and focuses its first field.
import { Button, CloseButton, Fieldset, Grid, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SEX_OPTIONS } from './format';
import {
  ADDRESS_USES, emptyAddress, emptyCoverage, emptyKin, emptyName, emptyPhone, errorKey, NAME_USES, PHONE_USES,
  type FormErrors, type FormState, type ListKey,
} from './form';

interface DemographicsFormProps {
  value: FormState;
  onChange: (next: FormState) => void;
  errors: FormErrors;
  /** Focus the first field when shown. */
  autoFocus?: boolean;
}

type Span = number | { base: number; sm: number };
type SingleKey = Exclude<keyof FormState, ListKey>;

interface RowField<R> {
  key: keyof R & string;
  label: string;
  span: Span;
  /** `demo-<testId>` in row 1, `demo-<testId>-<n>` in row n (numbered as the labels are). */
  testId: string;
  placeholder?: string;
  /** A select of these uses (and the row's own value when it is another). */
  uses?: string[];
}

interface ListSpec<R extends { id: string }> {
  list: ListKey;
  /** At most this many rows (the "Add" button goes when there are). */
  max?: number;
  /** "address": "Remove address 2", "Add address". */
  noun: string;
  /** The number of the first row in the labels (2 for the names after the official one). */
  firstNumber?: number;
  empty: () => R;
  fields: RowField<R>[];
}

const useOptions = (uses: string[], current: string) => [
  ...(current === '' ? [{ value: '', label: '—' }] : []),
  ...(current && !uses.includes(current) ? [current] : []),
  ...uses,
].map((o) => (typeof o === 'string' ? { value: o, label: o } : o));

export function DemographicsForm({ value, onChange, errors, autoFocus }: DemographicsFormProps) {
  const root = useRef<HTMLDivElement>(null);
  // After adding a row: its first field; after removing one: the list's "Add" button (focus is not lost to the page).
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => {
    if (!focus) return;
    root.current?.querySelector<HTMLElement>(focus)?.focus();
    setFocus(null);
  }, [focus]);

  const field = (key: SingleKey, label: string, span: Span, extra: { placeholder?: string; description?: ReactNode; autoFocus?: boolean; required?: boolean; autoComplete?: string } = {}) => (
    <Grid.Col span={span}>
      <TextInput
        label={label}
        value={value[key]}
        onChange={(event) => onChange({ ...value, [key]: event.currentTarget.value })}
        error={errors[key]}
        data-testid={`demo-${key}`}
        autoComplete={extra.autoComplete ?? 'off'}
        spellCheck={false}
        {...extra}
      />
    </Grid.Col>
  );

  function rows<R extends { id: string }>(spec: ListSpec<R>) {
    const list = value[spec.list] as unknown as R[];
    const set = (next: R[]) => onChange({ ...value, [spec.list]: next });
    const first = spec.firstNumber ?? 1;
    return (
      <Stack gap="xs">
        {list.map((row, i) => {
          const n = first + i;
          const suffix = n === 1 ? '' : `-${n}`;
          return (
            <Group key={row.id} wrap="nowrap" align="flex-start" gap="xs" data-row={row.id} data-testid={`demo-${spec.list}-row`}>
              <Grid gap="sm" style={{ flex: 1 }}>
                {spec.fields.map((f) => {
                  const v = String(row[f.key] ?? '');
                  const common = {
                    label: f.label,
                    value: v,
                    'data-testid': `demo-${f.testId}${suffix}`,
                    'aria-label': `${f.label} (${spec.noun} ${n})`,
                    error: errors[errorKey(spec.list, i, f.key)],
                  };
                  const update = (next: string) => set(list.map((r) => (r.id === row.id ? { ...r, [f.key]: next } : r)));
                  return (
                    <Grid.Col key={f.key} span={f.span}>
                      {f.uses ? (
                        <NativeSelect {...common} data={useOptions(f.uses, v)} onChange={(event) => update(event.currentTarget.value)} />
                      ) : (
                        <TextInput {...common} placeholder={f.placeholder} autoComplete="off" spellCheck={false} onChange={(event) => update(event.currentTarget.value)} />
                      )}
                    </Grid.Col>
                  );
                })}
              </Grid>
              <CloseButton
                type="button"
                aria-label={`Remove ${spec.noun} ${n}`}
                title={`Remove ${spec.noun} ${n}`}
                data-testid={`demo-remove-${spec.list}${suffix}`}
                onClick={() => {
                  set(list.filter((r) => r.id !== row.id));
                  setFocus(`[data-testid="demo-add-${spec.list}"]`);
                }}
                mt={29}
              />
            </Group>
          );
        })}
        {list.length < (spec.max ?? Infinity) && (
          <Group>
            <Button
              type="button"
              variant="subtle"
              size="compact-sm"
              data-testid={`demo-add-${spec.list}`}
              onClick={() => {
                const added = spec.empty();
                set([...list, added]);
                setFocus(`[data-row="${added.id}"] input, [data-row="${added.id}"] select`);
              }}
            >
              Add {spec.noun}
            </Button>
          </Group>
        )}
      </Stack>
    );
  }

  const half = { base: 12, sm: 6 };
  const third = { base: 12, sm: 4 };
  const quarter = { base: 6, sm: 3 };
  return (
    <div ref={root}>
      <Stack gap="sm">
        <Fieldset legend="Patient">
          <Grid gap="sm">
            {field('family', 'Family name', third, { autoFocus, required: true })}
            {field('given', 'Given name', third)}
            {field('middle', 'Middle name', { base: 8, sm: 3 })}
            {field('suffix', 'Suffix', { base: 4, sm: 2 }, { placeholder: 'Jr, III' })}
            {field('birthDate', 'Birth date', third, { placeholder: 'MM/DD/YYYY or YYYY-MM-DD' })}
            <Grid.Col span={third}>
              <NativeSelect
                label="Sex"
                data={SEX_OPTIONS}
                value={value.sex}
                onChange={(event) => onChange({ ...value, sex: event.currentTarget.value })}
                data-testid="demo-sex"
              />
            </Grid.Col>
            {field('ssn', 'SSN', third, { placeholder: '123-45-6789' })}
            {field('language', 'Language', quarter)}
            {field('maritalStatus', 'Marital status', quarter)}
            {field('race', 'Race', quarter)}
            {field('ethnicity', 'Ethnicity', quarter)}
          </Grid>
        </Fieldset>
        <Fieldset legend="Other names">
          <Stack gap="xs">
            {value.otherNames.length === 0 && (
              <Text size="sm" c="dimmed">
                The name above is the legal one; add a maiden name, an alias or the name the patient goes by.
              </Text>
            )}
            {rows({
              list: 'otherNames', noun: 'name', firstNumber: 2, empty: emptyName,
              fields: [
                { key: 'family', label: 'Family name', span: { base: 12, sm: 3 }, testId: 'name-family' },
                { key: 'given', label: 'Given name', span: { base: 12, sm: 3 }, testId: 'name-given' },
                { key: 'middle', label: 'Middle', span: { base: 8, sm: 2 }, testId: 'name-middle' },
                { key: 'suffix', label: 'Suffix', span: { base: 4, sm: 2 }, testId: 'name-suffix' },
                { key: 'use', label: 'Use', span: { base: 12, sm: 2 }, testId: 'name-use', uses: NAME_USES },
              ],
            })}
          </Stack>
        </Fieldset>
        <Fieldset legend="Contact">
          <Stack gap="sm">
            {rows({
              list: 'addresses', noun: 'address', empty: emptyAddress,
              fields: [
                { key: 'line1', label: 'Address', span: { base: 12, sm: 5 }, testId: 'line1' },
                { key: 'line2', label: 'Line 2', span: { base: 12, sm: 3 }, testId: 'line2', placeholder: 'Apt, suite, unit' },
                { key: 'city', label: 'City', span: { base: 12, sm: 4 }, testId: 'city' },
                { key: 'state', label: 'State', span: { base: 4, sm: 2 }, testId: 'state' },
                { key: 'postalCode', label: 'ZIP', span: { base: 8, sm: 3 }, testId: 'postalCode' },
                { key: 'country', label: 'Country', span: { base: 6, sm: 3 }, testId: 'country', placeholder: 'USA' },
                { key: 'use', label: 'Use', span: { base: 6, sm: 4 }, testId: 'address-use', uses: ADDRESS_USES },
              ],
            })}
            {rows({
              list: 'phones', noun: 'phone', empty: emptyPhone,
              fields: [
                { key: 'number', label: 'Phone', span: { base: 12, sm: 6 }, testId: 'phone', placeholder: '(217) 555-0142' },
                { key: 'use', label: 'Use', span: { base: 12, sm: 3 }, testId: 'phone-use', uses: PHONE_USES },
              ],
            })}
            <Grid gap="sm">{field('email', 'Email', half)}</Grid>
          </Stack>
        </Fieldset>
        <Fieldset legend="Next of kin">
          {rows({
            list: 'nextOfKin', noun: 'next of kin', empty: emptyKin,
            fields: [
              { key: 'name', label: 'Name', span: half, testId: 'nokName' },
              { key: 'relationship', label: 'Relationship', span: { base: 6, sm: 3 }, testId: 'nokRelationship' },
              { key: 'phone', label: 'Phone', span: { base: 6, sm: 3 }, testId: 'nokPhone' },
              { key: 'addressLine', label: 'Address', span: { base: 12, sm: 5 }, testId: 'nokAddress', placeholder: 'when not the patient\'s' },
              { key: 'addressCity', label: 'City', span: { base: 12, sm: 3 }, testId: 'nokCity' },
              { key: 'addressState', label: 'State', span: { base: 4, sm: 2 }, testId: 'nokState' },
              { key: 'addressZip', label: 'ZIP', span: { base: 8, sm: 2 }, testId: 'nokZip' },
            ],
          })}
        </Fieldset>
        <Fieldset legend="Guarantor">
          <Stack gap="xs">
            {value.guarantor.length === 0 && (
              <Text size="sm" c="dimmed">
                The patient is responsible for the bill; add a guarantor when someone else is (a parent, a spouse).
              </Text>
            )}
            {rows({
              list: 'guarantor', noun: 'guarantor', empty: emptyKin, max: 1,
              fields: [
                { key: 'name', label: 'Name', span: half, testId: 'guarantorName' },
                { key: 'relationship', label: 'Relationship', span: { base: 6, sm: 3 }, testId: 'guarantorRelationship', placeholder: 'parent, spouse' },
                { key: 'phone', label: 'Phone', span: { base: 6, sm: 3 }, testId: 'guarantorPhone' },
                { key: 'addressLine', label: 'Address', span: { base: 12, sm: 5 }, testId: 'guarantorAddress' },
                { key: 'addressCity', label: 'City', span: { base: 12, sm: 3 }, testId: 'guarantorCity' },
                { key: 'addressState', label: 'State', span: { base: 4, sm: 2 }, testId: 'guarantorState' },
                { key: 'addressZip', label: 'ZIP', span: { base: 8, sm: 2 }, testId: 'guarantorZip' },
              ],
            })}
          </Stack>
        </Fieldset>
        <Fieldset legend="Coverage">
          {rows({
            list: 'coverages', noun: 'coverage', empty: emptyCoverage,
            fields: [
              { key: 'payer', label: 'Payer', span: { base: 12, sm: 5 }, testId: 'payer' },
              { key: 'plan', label: 'Plan', span: { base: 12, sm: 3 }, testId: 'plan' },
              { key: 'memberId', label: 'Member id', span: { base: 6, sm: 2 }, testId: 'memberId' },
              { key: 'groupNumber', label: 'Group', span: { base: 6, sm: 2 }, testId: 'groupNumber' },
              { key: 'subscriber', label: 'Subscriber', span: { base: 12, sm: 3 }, testId: 'subscriber', placeholder: 'when not the patient' },
              { key: 'relationship', label: 'Relationship', span: { base: 12, sm: 3 }, testId: 'coverage-relationship', placeholder: 'self, spouse, child' },
              { key: 'effectiveFrom', label: 'Effective from', span: { base: 6, sm: 3 }, testId: 'effectiveFrom', placeholder: 'MM/DD/YYYY' },
              { key: 'effectiveTo', label: 'Effective to', span: { base: 6, sm: 3 }, testId: 'effectiveTo', placeholder: 'MM/DD/YYYY' },
            ],
          })}
        </Fieldset>
      </Stack>
    </div>
  );
}
