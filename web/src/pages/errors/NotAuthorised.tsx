import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from '../../router';

export default function NotAuthorised() {
  return (
    <Stack align="flex-start" data-testid="not-authorised">
      <Title order={2}>Not authorised</Title>
      <Text>Your roles do not include access to this page. Ask the HIM director or an administrator if you need it.</Text>
      <Button component={Link} href="/" autoFocus>
        Go to Home
      </Button>
    </Stack>
  );
}
