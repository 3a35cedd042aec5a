// Edit demographics: a new version (the old one stays in the history), sent with the version it was read at so
// that a change by someone else in between is refused (PATIENT_VERSION_CONFLICT) and shown, not overwritten.
import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, api, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DemographicsForm } from './DemographicsForm';
import { demographicsOf, formErrors, formOf, type FormErrors, type FormState } from './form';
import type { PatientView } from './types';

interface EditPatientProps {
  patient: PatientView;
  onSaved: (next: PatientView) => void;
  onCancel: () => void;
  onReload: () => void;
}

export function EditPatient({ patient, onSaved, onCancel, onReload }: EditPatientProps) {
  const [form, setForm] = useState<FormState>(() => formOf(patient.demographics));
  const [reason, setReason] = useState('');
  const [shown, setShown] = useState<FormErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const errors = formErrors(form);
    setShown(errors);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    setError(null);
    setConflict(null);
    try {
      const saved = await api.put<PatientView>(`/api/patients/${patient.id}`, {
        demographics: demographicsOf(form, patient.demographics),
        version: patient.version,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onSaved(saved);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'PATIENT_VERSION_CONFLICT') setConflict(errorMessage(caught));
      else setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      data-testid="patient-edit"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <Stack gap="sm">
        <DemographicsForm value={form} onChange={setForm} errors={shown} autoFocus />
        <TextInput label="Reason for the change" placeholder="e.g. marriage, corrected birth date" value={reason} onChange={(event) => setReason(event.currentTarget.value)} data-testid="patient-edit-reason" />
        {conflict && (
          <Alert color="orange" role="alert" title="Changed by someone else" data-testid="patient-edit-conflict">
            {conflict}
            <Group mt="xs">
              <Button size="xs" variant="light" color="orange" onClick={onReload} data-testid="patient-edit-reload">
                Reload the patient (your changes are lost)
              </Button>
            </Group>
          </Alert>
        )}
        <ErrorAlert message={error} testId="patient-edit-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} data-testid="patient-edit-cancel">
            Cancel
          </Button>
          <Button type="submit" loading={busy} data-testid="patient-edit-save">
            Save (new version {patient.version + 1})
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
