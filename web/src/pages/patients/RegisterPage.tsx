// Registration with search-before-create: likely duplicates appear beside the form as the clerk types, and one
// can be opened instead of creating a new record. Enter in any field (or Ctrl+Enter) registers.
import { Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { navigate } from '../../router';
import { DemographicsForm } from './DemographicsForm';
import { demographicsOf, emptyForm, formErrors, type FormErrors, type FormState } from './form';
import { LikelyDuplicates } from './LikelyDuplicates';
import type { PatientView } from './types';

export default function RegisterPage() {
  useDocumentTitle('Register a patient · Chartroom');
  const [form, setForm] = useState<FormState>(emptyForm);
  const [shown, setShown] = useState<FormErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const errors = formErrors(form);
    setShown(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<PatientView>('/api/patients', { demographics: demographicsOf(form) });
      navigate(`/patients/${created.id}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Stack data-testid="register-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Register a patient</Title>
        <Text size="sm" c="dimmed">
          Search first: likely duplicates appear on the right as you type.
        </Text>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <form onSubmit={(event) => void submit(event)} data-testid="register-form" noValidate>
            <Stack gap="sm">
              <DemographicsForm value={form} onChange={setForm} errors={shown} autoFocus />
              <ErrorAlert message={error} testId="register-error" />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => navigate('/patients')}>
                  Cancel
                </Button>
                <Button type="submit" loading={busy} data-testid="register-submit">
                  Register patient
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <div style={{ position: 'sticky', top: 72 }}>
            <LikelyDuplicates form={form} />
          </div>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
