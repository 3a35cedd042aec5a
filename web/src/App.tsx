import { Alert, Button, Center, Stack } from '@mantine/core';
import { Suspense, useCallback, useEffect, useState } from 'react';
import { errorMessage } from './api/client';
import type { SessionInfo } from './api/types';
import { AppLayout } from './components/AppLayout';
import { PageLoader } from './components/PageLoader';
import { Redirect } from './components/Redirect';
import { useIdleTimeout } from './idle';
import { useLocation } from './router';
import { findRoute, LoginPage, MfaEnrolPage, ChangePasswordPage, NotAuthorised, NotFound } from './routes';
import { fetchSession, forcedPath, SessionProvider, useSession } from './session';

type Boot = { status: 'loading' } | { status: 'ready'; session: SessionInfo | null } | { status: 'error'; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ status: 'loading' });
  const start = useCallback(() => {
    setBoot({ status: 'loading' });
    fetchSession().then(
      (session) => setBoot({ status: 'ready', session }),
      (error: unknown) => setBoot({ status: 'error', message: errorMessage(error) }),
    );
  }, []);
  useEffect(start, [start]);

  if (boot.status === 'loading') return <PageLoader />;
  if (boot.status === 'error') {
    return (
      <Center h="80vh">
        <Stack maw={420}>
          <Alert color="red" title="Chartroom is not available">
            {boot.message}
          </Alert>
          <Button onClick={start} autoFocus>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  return (
    <SessionProvider initial={boot.session}>
      <Suspense fallback={<PageLoader />}>
        <Routes />
      </Suspense>
    </SessionProvider>
  );
}

function Routes() {
  const { session, logout } = useSession();
  const { pathname } = useLocation();
  const onIdle = useCallback(() => void logout('timeout'), [logout]);
  useIdleTimeout(session?.idleTimeoutSeconds, onIdle);

  if (!session) return pathname === '/login' ? <LoginPage /> : <Redirect to="/login" />;

  const forced = forcedPath(session);
  if (forced) {
    if (pathname !== forced) return <Redirect to={forced} />;
    return forced === '/mfa' ? <MfaEnrolPage /> : <ChangePasswordPage forced />;
  }
  if (pathname === '/login' || pathname === '/mfa') return <Redirect to="/" />;

  const route = findRoute(pathname);
  let page;
  if (!route) page = <NotFound />;
  else if (route.permission && !session.permissions.includes(route.permission)) page = <NotAuthorised />;
  else page = <route.page />;

  return (
    <AppLayout>
      <Suspense fallback={<PageLoader />}>{page}</Suspense>
    </AppLayout>
  );
}
