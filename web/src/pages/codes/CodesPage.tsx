// Code sets: the encoder (search, detail, validate), the tree browser, the ICD-10-PCS code builder, the loaded
// releases, and what changed between two releases. One page with a tab per URL (/codes, /codes/tree,
// /codes/pcs, /codes/releases, /codes/diff): a tab can be bookmarked, and switching tabs keeps the encoder's
// search (and the code being built) as it was.
import { Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { navigate, useLocation } from '../../router';
import { DiffPanel } from './DiffPanel';
import { EncoderPanel } from './EncoderPanel';
import { PcsBuilderPanel } from './PcsBuilderPanel';
import { ReleasesTable } from './ReleasesTable';
import { TreePanel } from './TreePanel';
import type { CodeRelease } from './types';

const TABS = [
  { value: 'encoder', label: 'Encoder', path: '/codes', title: 'Codes' },
  { value: 'tree', label: 'Browse', path: '/codes/tree', title: 'Code tree' },
  { value: 'pcs', label: 'PCS builder', path: '/codes/pcs', title: 'ICD-10-PCS builder' },
  { value: 'releases', label: 'Releases', path: '/codes/releases', title: 'Code set releases' },
  { value: 'diff', label: 'Changes between releases', path: '/codes/diff', title: 'Code set changes' },
] as const;
type TabValue = (typeof TABS)[number]['value'];

function tabOf(pathname: string): (typeof TABS)[number] {
  const path = pathname.replace(/\/+$/, '') || '/';
  return TABS.find((tab) => tab.path === path) ?? TABS[0];
}

export default function CodesPage() {
  const { pathname } = useLocation();
  const tab = tabOf(pathname);
  useDocumentTitle(`${tab.title} · Chartroom`);

  const releases = useResource('releases', (signal) => api.get<{ items?: CodeRelease[] }>('/api/codes/releases', { signal }));
  const items = releases.data ? (Array.isArray(releases.data.items) ? releases.data.items : []) : null;

  const select = (value: string | null) => {
    const next = TABS.find((t) => t.value === value);
    if (next && next.value !== tab.value) navigate(next.path);
  };
  const is = (value: TabValue) => tab.value === value;

  return (
    <Stack data-testid="codes-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Codes</Title>
        <Text size="sm" c="dimmed">
          ICD-10-CM, ICD-10-PCS and HCPCS, as in force on the date of service
        </Text>
      </Group>
      <ErrorAlert message={releases.error} testId="codes-releases-error" />
      <Tabs value={tab.value} onChange={select}>
        <Tabs.List mb="md">
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} data-testid={`codes-tab-${t.value}`}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="encoder">
          <EncoderPanel releases={items} releasesLoading={releases.loading} active={is('encoder')} />
        </Tabs.Panel>
        <Tabs.Panel value="tree">
          <TreePanel releases={items} active={is('tree')} />
        </Tabs.Panel>
        <Tabs.Panel value="pcs">
          <PcsBuilderPanel releases={items} active={is('pcs')} />
        </Tabs.Panel>
        <Tabs.Panel value="releases">
          {items ? <ReleasesTable releases={items} /> : releases.loading ? <PageLoader /> : null}
        </Tabs.Panel>
        <Tabs.Panel value="diff">
          {items ? <DiffPanel releases={items} active={is('diff')} /> : releases.loading ? <PageLoader /> : null}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
