// Client-side idle time-out. Activity in any tab of this browser counts (the session cookie is
// shared), so tabs share the last-activity time through localStorage.
import { useEffect } from 'react';

const STORAGE_KEY = 'chartroom:lastActivity';
const ACTIVITY_EVENTS = ['keydown', 'mousedown', 'pointerdown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 1000;

function readShared(): number {
  try {
    const value = Number(window.localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}

function writeShared(time: number): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // Storage may be blocked (private mode); the timer in this tab still works.
  }
}

/** Calls onIdle once, after `timeoutSeconds` without keyboard, mouse or touch activity. */
export function useIdleTimeout(timeoutSeconds: number | undefined, onIdle: () => void): void {
  useEffect(() => {
    if (!timeoutSeconds || timeoutSeconds <= 0) return;
    const timeoutMs = timeoutSeconds * 1000;
    let last = Date.now();
    let lastWritten = 0;
    let fired = false;
    writeShared(last);

    // Typing into a long form makes no requests; tell the server the user is active, at most four
    // times per idle period, so the session does not end under someone who is working.
    let lastTouch = Date.now();
    const touchServer = () => {
      if (last - lastTouch < timeoutMs / 4) return;
      lastTouch = last;
      void fetch('/api/auth/session', { credentials: 'same-origin', headers: { 'x-chartroom-client': 'web' } }).catch(() => undefined);
    };

    const onActivity = () => {
      last = Date.now();
      touchServer();
      if (last - lastWritten > CHECK_EVERY_MS) {
        lastWritten = last;
        writeShared(last);
      }
    };
    const check = () => {
      if (fired) return;
      const newest = Math.max(last, readShared());
      if (Date.now() - newest >= timeoutMs) {
        fired = true;
        onIdle();
      }
    };

    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });
    const timer = window.setInterval(check, CHECK_EVERY_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [timeoutSeconds, onIdle]);
}
