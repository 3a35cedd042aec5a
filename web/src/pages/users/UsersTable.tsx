import { Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { User } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { UserActions, type UserAction } from './UserActions';
import { MfaStatus, UserStatus } from './userStatus';

interface UsersTableProps {
  users: User[];
  roleName: (code: string) => string;
  onAction: (action: UserAction, user: User) => void;
}

export function UsersTable({ users, roleName, onAction }: UsersTableProps) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>MFA</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Break-glass</Table.Th>
            <Table.Th>Last login</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid="user-row" data-username={user.username}>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {user.username}
                </Text>
              </Table.Td>
              <Table.Td>{user.displayName}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {user.roles.map((role) => (
                    <Badge key={role} variant="light" size="sm">
                      {roleName(role)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <MfaStatus user={user} />
              </Table.Td>
              <Table.Td>
                <UserStatus user={user} />
              </Table.Td>
              <Table.Td>{user.breakGlassAuthorised ? 'Authorised' : '—'}</Table.Td>
              <Table.Td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'Never'}</Table.Td>
              <Table.Td>
                <UserActions user={user} onAction={onAction} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
