import { AppShell, Burger, Group, Kbd, NavLink, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMemo, type ReactNode } from 'react';
import { Link, navigate, useLocation } from '../router';
import { useSignedIn } from '../session';
import { ShortcutHelp } from './ShortcutHelp';
import { useShortcuts, type Jump } from './shortcuts';
import { UserMenu } from './UserMenu';

interface NavItem extends Jump {
  permission?: string;
  testId: string;
}

const NAV_ITEMS: NavItem[] = [
  { key: 'h', label: 'Home', path: '/', testId: 'nav-home' },
  { key: 'i', label: 'Patients', path: '/patients', permission: 'read:demographics', testId: 'nav-patients' },
  { key: 'r', label: 'Register', path: '/patients/new', permission: 'write:demographics', testId: 'nav-register' },
  { key: 'd', label: 'Duplicates', path: '/mpi/review', permission: 'write:demographics', testId: 'nav-mpi' },
  { key: 'e', label: 'Census', path: '/encounters/census', permission: 'read:demographics', testId: 'nav-census' },
  { key: 'l', label: 'HL7 errors', path: '/interop/hl7v2', permission: 'write:demographics', testId: 'nav-hl7' },
  { key: 'w', label: 'DNFB work list', path: '/coding', permission: 'read:coding', testId: 'nav-coding' },
  { key: 'q', label: 'Query in-box', path: '/coding/inbox', permission: 'write:clinical', testId: 'nav-inbox' },
  { key: 'c', label: 'Codes', path: '/codes', testId: 'nav-codes' },
  { key: 'u', label: 'Users', path: '/users', permission: 'admin:users', testId: 'nav-users' },
  { key: 'a', label: 'Audit', path: '/audit', permission: 'read:audit', testId: 'nav-audit' },
  { key: 'p', label: 'Privacy review', path: '/privacy', permission: 'review:privacy', testId: 'nav-privacy' },
];

/** A link is current on its own path and on the paths below it (/codes/releases for /codes). */
function isCurrent(pathname: string, path: string): boolean {
  return pathname === path || (path !== '/' && pathname.startsWith(`${path}/`));
}

/** The one current link: the longest path that is current (/patients/new is Register, not also Patients). */
function currentPath(pathname: string, items: NavItem[]): string | undefined {
  return items.filter((item) => isCurrent(pathname, item.path)).sort((a, b) => b.path.length - a.path.length)[0]?.path;
}

export function AppLayout({ children }: { children: ReactNode }) {
  const session = useSignedIn();
  const { pathname } = useLocation();
  const [navOpened, nav] = useDisclosure(false);
  const [helpOpened, help] = useDisclosure(false);

  const items = useMemo(
    () => NAV_ITEMS.filter((item) => !item.permission || session.permissions.includes(item.permission)),
    [session.permissions],
  );
  const go = (path: string) => {
    nav.close();
    navigate(path);
  };
  useShortcuts(items, go, help.open, !helpOpened);
  const current = currentPath(pathname, items);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <UnstyledButton component={Link} href="/" aria-label="Chartroom home">
              <Title order={3} c="indigo.8">
                Chartroom
              </Title>
            </UnstyledButton>
          </Group>
          <UserMenu displayName={session.user.displayName} onShowShortcuts={help.open} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow>
          <Stack gap={2}>
            {items.map((item) => (
              <NavLink
                key={item.path}
                component={Link}
                href={item.path}
                label={item.label}
                active={item.path === current}
                aria-current={item.path === current ? 'page' : undefined}
                data-testid={item.testId}
                onClick={nav.close}
                rightSection={
                  <Text span size="xs" c="dimmed" aria-hidden>
                    g {item.key}
                  </Text>
                }
              />
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" py="xs">
            Press <Kbd size="xs">?</Kbd> for keyboard shortcuts
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>{children}</AppShell.Main>
      <ShortcutHelp opened={helpOpened} onClose={help.close} jumps={items} />
    </AppShell>
  );
}
