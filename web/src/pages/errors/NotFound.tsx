import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from '../../router';

export default function NotFound() {
  return (
    <Stack align="flex-start" data-testid="not-found">
      <Title order={2}>Page not found</Title>
      <Text>There is no page at this address.</Text>
      <Button component={Link} href="/" autoFocus>
        Go to Home
      </Button>
    </Stack>
  );
}
