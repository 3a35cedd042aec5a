import { useEffect } from 'react';
import { navigate } from '../router';

/** Replaces the current history entry, so Back does not bounce the user into a loop. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
