import { Alert, Button, Group, PasswordInput, Stack, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useRef, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import type { SessionInfo } from '../../api/types';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { navigate } from '../../router';
import { forcedPath, useSession } from '../../session';

const MIN_LENGTH = 12;

function problemWith(current: string, next: string, confirm: string): string | null {
  if (!current) return 'Enter your current password.';
  if (next.length < MIN_LENGTH) return `The new password must be at least ${MIN_LENGTH} characters.`;
  if (next === current) return 'The new password must differ from the current one.';
  if (next !== confirm) return 'The new password and its confirmation do not match.';
  return null;
}

export default function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  useDocumentTitle('Change password · Chartroom');
  const { setSession, logout } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const problem = problemWith(current, next, confirm);
    setError(problem);
    setDone(false);
    if (problem) return;
    setBusy(true);
    try {
      const session = await api.post<SessionInfo>(
        '/api/auth/password',
        { currentPassword: current, newPassword: next },
        { expectedCodes: ['INVALID_CREDENTIALS'] },
      );
      setSession(session);
      setCurrent('');
      setNext('');
      setConfirm('');
      const forcedNext = forcedPath(session);
      if (forced || forcedNext) navigate(forcedNext ?? '/', { replace: true });
      else setDone(true);
    } catch (caught) {
      setError(errorMessage(caught));
      currentRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <PasswordInput
          ref={currentRef}
          label="Current password"
          description={forced ? 'The temporary password you were given.' : undefined}
          value={current}
          onChange={(event) => setCurrent(event.currentTarget.value)}
          autoComplete="current-password"
          autoFocus
          required
          data-testid="pw-current"
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_LENGTH} characters. A short sentence is easy to remember.`}
          value={next}
          onChange={(event) => setNext(event.currentTarget.value)}
          autoComplete="new-password"
          required
          data-testid="pw-new"
        />
        <PasswordInput
          label="Confirm new password"
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          autoComplete="new-password"
          required
          data-testid="pw-confirm"
        />
        <ErrorAlert message={error} testId="pw-error" />
        {done && (
          <Alert color="green" variant="light" role="status" data-testid="pw-success">
            Your password has been changed.
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} data-testid="pw-submit">
            Change password
          </Button>
          {forced && (
            <Button variant="subtle" color="gray" onClick={() => void logout('user')} data-testid="logout">
              Log out
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );

  if (forced) {
    return (
      <AuthCard title="Choose a new password" subtitle="You must set your own password before you continue.">
        {form}
      </AuthCard>
    );
  }
  return (
    <Stack data-testid="password-page">
      <Title order={2}>Change password</Title>
      {form}
    </Stack>
  );
}
