// Who is signed in, in what stage, with which permissions. The server is the authority:
// this only mirrors the session info it returns and reacts when it says the session is gone.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler, type ApiError } from './api/client';
import type { SessionInfo } from './api/types';
import { leaveTo } from './router';

export type LogoutReason = 'user' | 'timeout';

interface SessionContextValue {
  session: SessionInfo | null;
  setSession: (session: SessionInfo | null) => void;
  logout: (reason?: LogoutReason) => Promise<void>;
  can: (permission: string) => boolean;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function loginPath(reason?: LogoutReason): string {
  return reason === 'timeout' ? '/login?reason=timeout' : '/login';
}

/** Where a session in this stage belongs; null when any page is allowed. */
export function forcedPath(session: SessionInfo): string | null {
  if (session.stage === 'change_password') return '/password';
  if (session.stage === 'enrol_mfa') return '/mfa';
  return null;
}

export function SessionProvider({ initial, children }: { initial: SessionInfo | null; children: ReactNode }) {
  const [session, setSessionState] = useState<SessionInfo | null>(initial);

  const setSession = useCallback((next: SessionInfo | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSessionState(next);
  }, []);

  const logout = useCallback(async (reason: LogoutReason = 'user') => {
    try {
      await api.post('/api/auth/logout', {}, { quiet401: true });
    } catch {
      // The session may already be gone on the server; leaving is all that matters.
    }
    setCsrfToken(null);
    leaveTo(loginPath(reason));
  }, []);

  useEffect(() => {
    setCsrfToken(initial?.csrfToken ?? null);
  }, [initial]);

  useEffect(() => {
    setUnauthorizedHandler((error: ApiError) => {
      setCsrfToken(null);
      if (window.location.pathname === '/login') return;
      leaveTo(loginPath(error.code === 'SESSION_EXPIRED' ? 'timeout' : undefined));
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      setSession,
      logout,
      can: (permission) => session?.stage === 'full' && session.permissions.includes(permission),
    }),
    [session, setSession, logout],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For pages behind the shell, where a full session is guaranteed. */
export function useSignedIn(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}

/** Asks the server without counting as activity (touch=0), so a check never keeps a session alive. */
export async function fetchSession(): Promise<SessionInfo | null> {
  try {
    return await api.get<SessionInfo>('/api/auth/session?touch=0', { quiet401: true });
  } catch (error) {
    if ((error as ApiError).status === 401) return null;
    throw error;
  }
}
