import { ActionIcon, Menu } from '@mantine/core';
import type { User } from '../../api/types';

export type UserAction = 'edit' | 'disable' | 'enable' | 'reset-mfa' | 'reset-password' | 'toggle-break-glass';

export function UserActions({ user, onAction }: { user: User; onAction: (action: UserAction, user: User) => void }) {
  return (
    <Menu position="bottom-end" width={250} withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`} data-testid="user-actions">
          <span aria-hidden style={{ fontSize: 18, lineHeight: 1 }}>
            ⋯
          </span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.username}</Menu.Label>
        <Menu.Item onClick={() => onAction('edit', user)} data-testid="action-edit">
          Edit name and roles…
        </Menu.Item>
        <Menu.Item onClick={() => onAction('toggle-break-glass', user)} data-testid="action-break-glass">
          {user.breakGlassAuthorised ? 'Withdraw break-glass authorisation' : 'Authorise break-the-glass'}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item onClick={() => onAction('reset-password', user)} data-testid="action-reset-password">
          Reset password…
        </Menu.Item>
        <Menu.Item onClick={() => onAction('reset-mfa', user)} data-testid="action-reset-mfa">
          Reset MFA…
        </Menu.Item>
        {user.disabled ? (
          <Menu.Item onClick={() => onAction('enable', user)} data-testid="action-enable">
            Enable
          </Menu.Item>
        ) : (
          <Menu.Item color="red" onClick={() => onAction('disable', user)} data-testid="action-disable">
            Disable…
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
