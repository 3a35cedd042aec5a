import { Alert, Badge, Group, List, Text } from '@mantine/core';
import type { CodeVersion } from './types';
import { notices } from './versions';

/** The version label(s) in use, always shown; `placeholder` when none is known (nothing loaded, still loading). */
export function VersionLabel({ versions, testId, placeholder }: { versions: CodeVersion[]; testId: string; placeholder: string }) {
  return (
    <Group gap={6} wrap="wrap" data-testid={testId} aria-live="polite">
      <Text size="sm" c="dimmed" span>
        Version in use:
      </Text>
      {versions.length === 0 ? (
        <Text size="sm" span>
          {placeholder}
        </Text>
      ) : (
        versions.map((version) => (
          <Badge
            key={version.label}
            variant="light"
            color={version.inForce ? 'indigo' : 'yellow'}
            tt="none"
            title={`Effective ${version.effectiveFrom} to ${version.effectiveTo}`}
            data-testid={`${testId}-label`}
          >
            {version.label}
          </Badge>
        ))
      )}
    </Group>
  );
}

/** A yellow alert with the notice of every version that is not in force on the date; nothing otherwise. */
export function VersionNotice({ versions, testId }: { versions: CodeVersion[]; testId: string }) {
  const texts = notices(versions);
  if (texts.length === 0) return null;
  return (
    <Alert color="yellow" variant="light" title="Not the version in force on this date" data-testid={testId} role="status">
      {texts.length === 1 ? (
        texts[0]
      ) : (
        <List size="sm" spacing={2}>
          {texts.map((text) => (
            <List.Item key={text}>{text}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
