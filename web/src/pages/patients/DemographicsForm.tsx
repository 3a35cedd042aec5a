// The demographics fields of registration and edit, in the order a registration desk asks for them.
import { Fieldset, Grid, NativeSelect, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { SEX_OPTIONS } from './format';
import type { FormState } from './form';

interface DemographicsFormProps {
  value: FormState;
  onChange: (next: FormState) => void;
  errors: Partial<Record<keyof FormState, string>>;
  /** Focus the first field when shown. */
  autoFocus?: boolean;
}

type Span = number | { base: number; sm: number };

export function DemographicsForm({ value, onChange, errors, autoFocus }: DemographicsFormProps) {
  const field = (key: keyof FormState, label: string, span: Span, extra: { placeholder?: string; description?: ReactNode; autoFocus?: boolean; required?: boolean; autoComplete?: string } = {}) => (
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
  const half = { base: 12, sm: 6 };
  const third = { base: 12, sm: 4 };
  const quarter = { base: 6, sm: 3 };
  return (
    <>
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
      <Fieldset legend="Contact">
        <Grid gap="sm">
          {field('line1', 'Address', half)}
          {field('city', 'City', { base: 12, sm: 3 })}
          {field('state', 'State', { base: 4, sm: 1 })}
          {field('postalCode', 'ZIP', { base: 8, sm: 2 })}
          {field('phone', 'Phone', half, { placeholder: '(217) 555-0142' })}
          {field('email', 'Email', half)}
        </Grid>
      </Fieldset>
      <Fieldset legend="Next of kin">
        <Grid gap="sm">
          {field('nokName', 'Name', half)}
          {field('nokRelationship', 'Relationship', quarter)}
          {field('nokPhone', 'Phone', quarter)}
        </Grid>
      </Fieldset>
      <Fieldset legend="Coverage">
        <Grid gap="sm">
          {field('payer', 'Payer', half)}
          {field('plan', 'Plan', { base: 12, sm: 2 })}
          {field('memberId', 'Member id', { base: 6, sm: 2 })}
          {field('groupNumber', 'Group', { base: 6, sm: 2 })}
        </Grid>
      </Fieldset>
    </>
  );
}
