import { Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { BreakGlassReview } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { filterFieldProps } from '../../components/shortcuts';
import { useResource } from '../../components/useResource';
import { GrantCard, grantUser } from './GrantCard';

export default function PrivacyReviewPage() {
  useDocumentTitle('Privacy review · Chartroom');
  const result = useResource('break-glass', (signal) => api.get<{ items: BreakGlassReview[] }>('/api/privacy/break-glass', { signal }));
  const [filter, setFilter] = useState('');

  const reviews = useMemo(() => {
    const items = [...(result.data?.items ?? [])].sort((a, b) => b.grant.startsAt.localeCompare(a.grant.startsAt));
    const needle = filter.trim().toLowerCase();
    if (!needle) return items;
    return items.filter((review) =>
      [review.grant.patientId, review.grant.reason, grantUser(review)].some((value) => value.toLowerCase().includes(needle)),
    );
  }, [result.data, filter]);

  return (
    <Stack data-testid="privacy-page">
      <Stack gap={2}>
        <Title order={2}>Privacy review: break-the-glass</Title>
        <Text c="dimmed" size="sm">
          Emergency access grants, the reason given, and what was done with each.
        </Text>
      </Stack>
      <TextInput
        label="Filter grants"
        placeholder="Patient, user or words in the reason"
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
        maw={420}
        autoFocus
        data-testid="privacy-filter"
        {...filterFieldProps}
      />
      <ErrorAlert message={result.error} testId="privacy-error" />
      {result.loading && !result.data && <PageLoader />}
      {result.data && (
        <Text size="sm" c="dimmed" data-testid="privacy-count">
          {result.data.items.length === 0
            ? 'No break-the-glass grants to review.'
            : `${reviews.length} of ${result.data.items.length} grants`}
        </Text>
      )}
      {reviews.map((review) => (
        <GrantCard key={review.grant.id} review={review} />
      ))}
    </Stack>
  );
}
