import { Button, Menu } from '@mantine/core';
import { navigate } from '../router';
import { useSession } from '../session';

interface UserMenuProps {
  displayName: string;
  onShowShortcuts: () => void;
}

export function UserMenu({ displayName, onShowShortcuts }: UserMenuProps) {
  const { logout } = useSession();
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" data-testid="user-menu" aria-label={`Account menu for ${displayName}`}>
          <span data-testid="user-display-name">{displayName}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as {displayName}</Menu.Label>
        <Menu.Item onClick={() => navigate('/password')} data-testid="menu-change-password">
          Change password
        </Menu.Item>
        <Menu.Item onClick={onShowShortcuts}>Keyboard shortcuts</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => void logout('user')} data-testid="logout">
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
