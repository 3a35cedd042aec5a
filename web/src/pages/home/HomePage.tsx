import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { Link } from '../../router';
import { useSignedIn } from '../../session';

interface WorkArea {
  title: string;
  description: string;
  /** Where the area lives, once its module has shipped. */
  href?: string;
  testId?: string;
  /** Permission the area's pages need; without it the card says so and shows no link. */
  permission?: string;
}

// The department's work areas. Each becomes a link with its own work list when its module ships;
// until then a card says so plainly and shows no numbers.
const WORK_AREAS: WorkArea[] = [
  {
    title: 'Registration & MPI',
    description: 'Register patients and keep the master patient index free of duplicates.',
    href: '/patients',
    testId: 'home-patients',
    permission: 'read:demographics',
  },
  {
    title: 'ADT & census',
    description: 'Admissions, discharges and transfers, and the daily census.',
    href: '/encounters/census',
    testId: 'home-census',
    permission: 'read:demographics',
  },
  {
    title: 'Code sets & encoder',
    description: 'Look up and validate ICD-10-CM, ICD-10-PCS and HCPCS codes as in force on a date, and see what changed between releases.',
    href: '/codes',
    testId: 'home-codes',
  },
  { title: 'Coding & DRG', description: 'Abstract and code discharged encounters and see the MS-DRG.' },
  { title: 'DNFB', description: 'Discharged, not final billed: the encounters holding up the claim.' },
  { title: 'Chart completion', description: 'Deficiencies, physician reminders and delinquency.' },
  { title: 'Documents & scanning', description: 'Scan, index and view the paper parts of the record.' },
  { title: 'Release of information', description: 'Requests, authorizations, packets and the accounting of disclosures.' },
  { title: 'Cancer registry', description: 'Case finding and abstracting for the tumor registry.' },
  { title: 'Reports', description: 'Department statistics, productivity and case mix.' },
];

export default function HomePage() {
  useDocumentTitle('Home · Chartroom');
  const session = useSignedIn();
  return (
    <Stack data-testid="home">
      <Stack gap={2}>
        <Title order={2}>Health information management</Title>
        <Text c="dimmed">Welcome, {session.user.displayName}.</Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {WORK_AREAS.map(({ permission, ...shipped }) => {
          const allowed = !permission || session.permissions.includes(permission);
          return { ...shipped, href: allowed ? shipped.href : undefined, restricted: !allowed && shipped.href !== undefined };
        }).map((area) => (
          <Card
            key={area.title}
            withBorder
            padding="lg"
            component="li"
            data-testid="work-area"
            aria-disabled={area.href ? undefined : 'true'}
          >
            <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
              <Title order={4}>
                {area.href ? (
                  <Anchor component={Link} href={area.href} inherit data-testid={area.testId}>
                    {area.title}
                  </Anchor>
                ) : (
                  area.title
                )}
              </Title>
              {area.href ? (
                <Badge color="green" variant="light">
                  Available
                </Badge>
              ) : area.restricted ? (
                <Badge color="gray" variant="outline">
                  Not in your role
                </Badge>
              ) : (
                <Badge color="gray" variant="light">
                  Coming soon
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {area.description}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
