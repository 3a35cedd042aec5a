import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { api, ApiError, errorMessage } from '../../api/client';
import type { SessionInfo } from '../../api/types';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { navigate, useLocation } from '../../router';
import { forcedPath, useSession } from '../../session';

export default function LoginPage() {
  useDocumentTitle('Sign in · Chartroom');
  const { setSession } = useSession();
  const { search } = useLocation();
  const timedOut = new URLSearchParams(search).get('reason') === 'timeout';

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      const body = needsTotp ? { username, password, totp } : { username, password };
      const session = await api.post<SessionInfo>('/api/auth/login', body, { quiet401: true });
      setSession(session);
      navigate(forcedPath(session) ?? '/', { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'MFA_REQUIRED') {
        setNeedsTotp(true);
        setTotp('');
      } else {
        if (caught instanceof ApiError && caught.code === 'INVALID_TOTP') setTotp('');
        if (caught instanceof ApiError && caught.code === 'INVALID_CREDENTIALS') {
          setPassword('');
          setNeedsTotp(false);
        }
        setError(errorMessage(caught));
      }
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Sign in" subtitle="Use your Chartroom account. Access is logged.">
      {timedOut && (
        <Alert color="yellow" variant="light" data-testid="login-timeout-notice">
          Your session ended after inactivity.
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Username"
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            autoComplete="username"
            autoFocus={!needsTotp}
            required
            readOnly={needsTotp}
            data-testid="login-username"
          />
          <PasswordInput
            label="Password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            autoComplete="current-password"
            required
            readOnly={needsTotp}
            data-testid="login-password"
          />
          {needsTotp && (
            <TextInput
              label="Authenticator code"
              description="Enter the 6-digit code from your authenticator app."
              value={totp}
              onChange={(event) => setTotp(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              autoFocus
              required
              data-testid="login-totp"
            />
          )}
          <ErrorAlert message={error} testId="login-error" />
          <Button type="submit" loading={busy} data-testid="login-submit" fullWidth>
            {needsTotp ? 'Verify and sign in' : 'Sign in'}
          </Button>
          {needsTotp && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                setNeedsTotp(false);
                setTotp('');
                setPassword('');
                setError(null);
              }}
            >
              Use a different account
            </Button>
          )}
        </Stack>
      </form>
    </AuthCard>
  );
}
