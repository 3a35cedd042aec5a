import { Button, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { api } from '../../api/client';
import type { AuditEvent, AuditSortKey, Page } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useResource } from '../../components/useResource';
import { navigate, useLocation } from '../../router';
import { AuditChart } from './AuditChart';
import { AuditFiltersForm } from './AuditFiltersForm';
import { AuditTable } from './AuditTable';
import { exportQuery, filtersOf, listQuery, PAGE_SIZE, pageQuery, parseQuery, type AuditFilters, type AuditQuery } from './query';

export default function AuditPage() {
  useDocumentTitle('Audit report · Chartroom');
  const { search } = useLocation();
  const query = parseQuery(search);
  const apiQuery = listQuery(query);
  const result = useResource(apiQuery, (signal) => api.get<Page<AuditEvent>>(`/api/audit${apiQuery}`, { signal }));

  const go = (next: AuditQuery) => navigate(`/audit${pageQuery(next)}`, { replace: true });
  const applyFilters = (filters: AuditFilters) => go({ ...query, ...filters, offset: 0 });
  const sortBy = (key: AuditSortKey) => {
    const order = key === query.sort ? (query.order === 'asc' ? 'desc' : 'asc') : key === 'time' ? 'desc' : 'asc';
    go({ ...query, sort: key, order, offset: 0 });
  };

  const events = result.data?.items ?? [];
  const total = result.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.floor(query.offset / PAGE_SIZE) + 1;
  const first = total === 0 ? 0 : query.offset + 1;
  const last = query.offset + events.length;

  return (
    <Stack data-testid="audit-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Audit report</Title>
        <Button component="a" href={`/api/audit/export.csv${exportQuery(query)}`} download variant="light" data-testid="audit-export">
          Export CSV
        </Button>
      </Group>
      <AuditFiltersForm applied={filtersOf(query)} onApply={applyFilters} />
      <ErrorAlert message={result.error} testId="audit-error" />
      {result.data && (
        <>
          <Text size="sm" c="dimmed" data-testid="audit-count" aria-live="polite">
            {total === 0
              ? 'No events match these filters.'
              : `Showing ${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} events`}
          </Text>
          <AuditChart events={events} />
          <div aria-busy={result.loading} style={{ opacity: result.loading ? 0.6 : 1 }}>
            <AuditTable events={events} sort={query.sort} order={query.order} onSort={sortBy} />
          </div>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={page}
              onChange={(next) => go({ ...query, offset: (next - 1) * PAGE_SIZE })}
              withEdges
              data-testid="audit-pagination"
            />
          )}
        </>
      )}
      {!result.data && result.loading && <PageLoader />}
    </Stack>
  );
}
