import { Anchor, Badge, Button, Card, Group, List, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api, queryString } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useResource } from '../../components/useResource';
import { CODE_SYSTEMS, SYSTEM_LABEL, isCodeSystem, type CodeSystem, type ValidateAnswer, type ValidationStatus } from './types';
import { VersionLabel, VersionNotice } from './VersionInfo';

/** "Validate this code" from elsewhere on the page; `n` makes a repeat of the same code a new request. */
export interface ValidateRequest {
  system: CodeSystem;
  code: string;
  n: number;
}

interface Check {
  system: CodeSystem;
  code: string;
  date: string;
  n: number;
}

const STATUS: Record<ValidationStatus, { label: string; color: string }> = {
  valid: { label: 'Valid', color: 'green' },
  'not-billable': { label: 'Header — not billable', color: 'orange' },
  'not-yet-effective': { label: 'Not yet effective', color: 'yellow' },
  deleted: { label: 'Deleted', color: 'red' },
  unknown: { label: 'Unknown', color: 'gray' },
};

function statusOf(status: string): { label: string; color: string } {
  return status in STATUS ? STATUS[status as ValidationStatus] : { label: status, color: 'gray' };
}

interface ValidateBoxProps {
  /** The encoder's date of service ('' = today on the server). */
  date: string;
  /** The encoder's system ('' = all); a specific one is taken over as the system to validate in. */
  system: '' | CodeSystem;
  request: ValidateRequest | null;
  onOpen: (system: CodeSystem, code: string) => void;
}

export function ValidateBox({ date, system, request, onOpen }: ValidateBoxProps) {
  const [code, setCode] = useState('');
  const [checkSystem, setCheckSystem] = useState<CodeSystem>(system || 'icd10cm');
  const [check, setCheck] = useState<Check | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (system) setCheckSystem(system);
  }, [system]);

  useEffect(() => {
    if (!request) return;
    setCode(request.code);
    setCheckSystem(request.system);
    setFormError(null);
    setCheck((last) => ({ system: request.system, code: request.code, date, n: (last?.n ?? 0) + 1 }));
    // Only a new request starts a check; the date is read as it is then.
  }, [request]);

  const key = check ? `${check.system}|${check.code}|${check.date}|${check.n}` : '';
  const result = useResource<ValidateAnswer | null>(key, (signal) =>
    check
      ? api.get<ValidateAnswer>(`/api/codes/validate${queryString({ code: check.code, system: check.system, date: check.date })}`, { signal })
      : Promise.resolve(null),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = code.trim();
    if (!text) {
      setFormError('Type a code to validate.');
      return;
    }
    if (text.length > 40) {
      setFormError('A code has at most 40 characters.');
      return;
    }
    setFormError(null);
    setCheck((last) => ({ system: checkSystem, code: text, date, n: (last?.n ?? 0) + 1 }));
  };

  const answer = check && !result.error ? result.data : null;

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="codes-validate-title">
      <Stack gap="sm">
        <Title order={4} id="codes-validate-title">
          Validate a code
        </Title>
        <form onSubmit={submit} noValidate aria-label="Validate a code">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="Code"
              placeholder="e.g. F43.10"
              autoComplete="off"
              spellCheck={false}
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              style={{ flex: '1 1 160px' }}
              ff="monospace"
              data-testid="codes-validate-input"
            />
            <NativeSelect
              label="System"
              data={CODE_SYSTEMS.map((value) => ({ value, label: SYSTEM_LABEL[value] }))}
              value={checkSystem}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isCodeSystem(value)) setCheckSystem(value);
              }}
              data-testid="codes-validate-system"
            />
            <Button type="submit" loading={Boolean(check) && result.loading} data-testid="codes-validate-submit">
              Validate
            </Button>
          </Group>
        </form>
        <ErrorAlert message={formError} testId="codes-validate-form-error" />
        {check && !result.loading && <ErrorAlert message={result.error} testId="codes-validate-error" />}
        {answer && <ValidateResult answer={answer} onOpen={onOpen} stale={result.loading} />}
      </Stack>
    </Card>
  );
}

function ValidateResult({ answer, onOpen, stale }: { answer: ValidateAnswer; onOpen: ValidateBoxProps['onOpen']; stale: boolean }) {
  const status = statusOf(answer.status);
  const children = Array.isArray(answer.children) ? answer.children : [];
  const successors = Array.isArray(answer.successors) ? answer.successors : [];
  const system = isCodeSystem(answer.system) ? answer.system : null;
  const open = (code: string) => {
    if (system) onOpen(system, code);
  };
  const versions = answer.version ? [answer.version] : [];

  return (
    <Stack
      gap="xs"
      data-testid="codes-validate-result"
      data-status={answer.status}
      data-valid={answer.valid ? 'true' : 'false'}
      aria-live="polite"
      style={{ opacity: stale ? 0.6 : 1 }}
    >
      <Group gap="sm" wrap="wrap">
        <Text ff="monospace" fw={700}>
          {answer.code}
        </Text>
        <Badge color={status.color} variant="filled" tt="none" data-testid="codes-validate-status">
          {status.label}
        </Badge>
      </Group>
      {answer.title && <Text size="sm">{answer.title}</Text>}
      <Text size="sm" data-testid="codes-validate-message">
        {answer.message}
      </Text>
      {answer.status === 'not-yet-effective' && answer.effectiveFrom && (
        <Text size="sm" c="dimmed">
          Effective from {answer.effectiveFrom}.
        </Text>
      )}
      {answer.status === 'deleted' && answer.deletedOn && (
        <Text size="sm" c="dimmed">
          Deleted on {answer.deletedOn}.
        </Text>
      )}
      {children.length > 0 && (
        <Stack gap={4} data-testid="codes-validate-children">
          <Text size="sm" fw={600}>
            Billable codes under {answer.code}
            {children.length >= 50 ? ' (first 50)' : ''}
          </Text>
          <List size="sm" spacing={2} listStyleType="none" ml={0} pl={0}>
            {children.map((child) => (
              <List.Item key={child.code} data-testid="codes-validate-child" data-code={child.code}>
                <Anchor component="button" type="button" ff="monospace" fw={600} size="sm" onClick={() => open(child.code)}>
                  {child.code}
                </Anchor>{' '}
                <Text span size="sm">
                  {child.title}
                </Text>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {answer.status === 'deleted' && (
        <Stack gap={4} data-testid="codes-validate-successors">
          <Text size="sm" fw={600}>
            Successors
          </Text>
          {successors.length === 0 ? (
            <Text size="sm" c="dimmed">
              No successor is listed for {answer.code}.
            </Text>
          ) : (
            <Group gap="xs">
              {successors.map((code) => (
                <Anchor
                  key={code}
                  component="button"
                  type="button"
                  ff="monospace"
                  fw={600}
                  size="sm"
                  onClick={() => open(code)}
                  data-testid="codes-validate-successor"
                >
                  {code}
                </Anchor>
              ))}
            </Group>
          )}
        </Stack>
      )}
      <VersionLabel versions={versions} testId="codes-validate-version" placeholder="—" />
      <VersionNotice versions={versions} testId="codes-validate-notice" />
    </Stack>
  );
}
