import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/** Shown once: the server never returns a temporary password again. */
export function TemporaryPassword({ username, password }: { username: string; password: string }) {
  return (
    <Stack gap="xs">
      <Alert color="yellow" variant="light" title="Temporary password — shown only once">
        Give it to {username} in person or by phone. They must choose a new password when they first sign in.
      </Alert>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, fontSize: 'var(--mantine-font-size-md)' }} data-testid="temporary-password">
          {password}
        </Code>
        <CopyButton value={password}>
          {({ copied, copy }) => (
            <Button onClick={copy} variant="light" color={copied ? 'teal' : undefined} data-testid="copy-temporary-password">
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        Copying needs a secure connection (HTTPS or localhost); otherwise select the text.
      </Text>
    </Stack>
  );
}
