import { Badge, Group } from '@mantine/core';
import type { User } from '../../api/types';

export function isLocked(user: User, now = Date.now()): boolean {
  return user.lockedUntil !== null && new Date(user.lockedUntil).getTime() > now;
}

export function UserStatus({ user }: { user: User }) {
  if (user.disabled) {
    return (
      <Badge color="red" variant="light">
        Disabled
      </Badge>
    );
  }
  return (
    <Group gap={4}>
      {isLocked(user) ? (
        <Badge color="orange" variant="light">
          Locked
        </Badge>
      ) : (
        <Badge color="green" variant="light">
          Active
        </Badge>
      )}
      {user.mustChangePassword && (
        <Badge color="gray" variant="outline">
          Must change password
        </Badge>
      )}
    </Group>
  );
}

export function MfaStatus({ user }: { user: User }) {
  return user.mfaEnrolled ? (
    <Badge color="green" variant="dot">
      Enrolled
    </Badge>
  ) : (
    <Badge color="gray" variant="dot">
      Not enrolled
    </Badge>
  );
}
