import { Alert } from '@mantine/core';

/** A server or validation message; role=alert so screen readers announce it. */
export function ErrorAlert({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid={testId}>
      {message}
    </Alert>
  );
}
