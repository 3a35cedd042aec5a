import { Group, Pagination, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { Hl7ErrorPanel } from './Hl7ErrorPanel';
import { Hl7ErrorTable } from './Hl7ErrorTable';
import type { Hl7ErrorStatus, Hl7ErrorSummary } from './types';

const PAGE_SIZE = 25;

/** The HL7 v2 error queue: messages answered AE/AR, to correct and replay or to dismiss. */
export default function Hl7ErrorsPage() {
  useDocumentTitle('HL7 errors · Chartroom');
  const [status, setStatus] = useState<Hl7ErrorStatus>('open');
  const [errorCode, setErrorCode] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const code = /^[A-Z0-9_]+$/.test(errorCode.trim().toUpperCase()) ? errorCode.trim().toUpperCase() : undefined;
  const q = queryString({ status, errorCode: code, limit: PAGE_SIZE, offset });
  const list = useResource(q, (signal) => api.get<{ items: Hl7ErrorSummary[]; total: number }>(`/api/interop/hl7v2/errors${q}`, { signal }));
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack data-testid="hl7-errors-page">
      <Title order={2}>HL7 v2 error queue</Title>
      <Group align="flex-end">
        <SegmentedControl
          value={status}
          onChange={(v) => {
            setStatus(v);
            setOffset(0);
            setSelected(null);
          }}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'replayed', label: 'Replayed' },
            { value: 'dismissed', label: 'Dismissed' },
          ]}
          aria-label="Status"
        />
        <TextInput label="Error code" placeholder="e.g. HL7_REQUIRED_FIELD_MISSING" value={errorCode} onChange={(e) => { setErrorCode(e.currentTarget.value); setOffset(0); }} w={320} />
      </Group>
      <ErrorAlert message={list.error} testId="hl7-errors-error" />
      {list.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="hl7-errors-count">
            {total === 0 ? 'Nothing in the queue.' : `${total.toLocaleString()} message${total === 1 ? '' : 's'}`}
          </Text>
          {total > 0 && <Hl7ErrorTable items={list.data.items} selected={selected} onSelect={setSelected} />}
          {pages > 1 && <Pagination total={pages} value={Math.floor(offset / PAGE_SIZE) + 1} onChange={(p) => setOffset((p - 1) * PAGE_SIZE)} withEdges />}
        </>
      )}
      {!list.data && list.loading && <PageLoader />}
      {selected !== null && <Hl7ErrorPanel key={selected} id={selected} onChanged={list.reload} />}
    </Stack>
  );
}
