import { Anchor, Button, Code, CopyButton, Group, Image, Loader, Stack, Text, TextInput } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import type { MfaEnrolment, SessionInfo } from '../../api/types';
import { AuthCard } from '../../components/AuthCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { navigate } from '../../router';
import { forcedPath, useSession } from '../../session';

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

export default function MfaEnrolPage() {
  useDocumentTitle('Set up two-step sign-in · Chartroom');
  const { setSession, logout } = useSession();
  const [enrolment, setEnrolment] = useState<MfaEnrolment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Each enrol call makes a new pending secret; React's development double-mount must not make two.
  const started = useRef(false);

  const enrol = useCallback(() => {
    setLoadError(null);
    api.post<MfaEnrolment>('/api/auth/mfa/enrol', {}).then(setEnrolment, (caught: unknown) => setLoadError(errorMessage(caught)));
  }, []);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    enrol();
  }, [enrol]);

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code)) {
      setError('Enter the 6-digit code shown in your authenticator app.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const session = await api.post<SessionInfo>('/api/auth/mfa/verify', { totp: code });
      setSession(session);
      navigate(forcedPath(session) ?? '/', { replace: true });
    } catch (caught) {
      setError(errorMessage(caught));
      setCode('');
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Set up two-step sign-in"
      subtitle="Scan the code with an authenticator app (or type the secret into it), then enter the 6-digit code it shows."
    >
      {loadError && (
        <Stack>
          <ErrorAlert message={loadError} testId="mfa-error" />
          <Button onClick={enrol} autoFocus>
            Try again
          </Button>
        </Stack>
      )}
      {!enrolment && !loadError && <Loader aria-label="Preparing your secret" />}
      {enrolment && (
        <form onSubmit={verify} noValidate>
          <Stack>
            <Image
              src={svgDataUrl(enrolment.qrSvg)}
              alt="QR code for your authenticator app"
              w={200}
              h={200}
              fit="contain"
              data-testid="mfa-qr"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                Secret
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Code data-testid="mfa-secret" style={{ wordBreak: 'break-all' }}>
                  {enrolment.secret}
                </Code>
                <CopyButton value={enrolment.secret}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="light" onClick={copy}>
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Anchor href={enrolment.otpauthUri} size="xs">
                Open in an authenticator app on this device
              </Anchor>
            </Stack>
            <TextInput
              label="Code from the app"
              value={code}
              onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              autoFocus
              required
              data-testid="mfa-code"
            />
            <ErrorAlert message={error} testId="mfa-error" />
            <Group>
              <Button type="submit" loading={busy} data-testid="mfa-verify">
                Verify
              </Button>
              <Button variant="subtle" color="gray" onClick={() => void logout('user')} data-testid="logout">
                Log out
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
