import { Alert, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import type { PasswordReset, Role, User } from '../../api/types';
import { ConfirmModal, type ConfirmRequest } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { filterFieldProps } from '../../components/shortcuts';
import { TemporaryPassword } from '../../components/TemporaryPassword';
import { useResource } from '../../components/useResource';
import { AddUserModal } from './AddUserModal';
import { EditUserModal } from './EditUserModal';
import type { UserAction } from './UserActions';
import { UsersTable } from './UsersTable';

const userPath = (user: User, action: string) => `/api/users/${encodeURIComponent(user.id)}/${action}`;

export default function UsersPage() {
  useDocumentTitle('Users · Chartroom');
  const users = useResource('users', (signal) => api.get<{ items: User[] }>('/api/users', { signal }));
  const roles = useResource('roles', (signal) => api.get<{ items: Role[] }>('/api/roles', { signal }));
  const [changed, setChanged] = useState<Record<string, User>>({});
  const [filter, setFilter] = useState('');
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [reset, setReset] = useState<PasswordReset | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const roleOptions = useMemo(() => (roles.data?.items ?? []).map((role) => ({ value: role.code, label: role.name })), [roles.data]);
  const roleName = (code: string) => roles.data?.items.find((role) => role.code === code)?.name ?? code;

  const list = useMemo(() => {
    const merged = (users.data?.items ?? []).map((user) => changed[user.id] ?? user);
    const extra = Object.values(changed).filter((user) => !merged.some((item) => item.id === user.id));
    const all = [...merged, ...extra].sort((a, b) => a.username.localeCompare(b.username));
    const needle = filter.trim().toLowerCase();
    if (!needle) return all;
    return all.filter((user) => user.username.toLowerCase().includes(needle) || user.displayName.toLowerCase().includes(needle));
  }, [users.data, changed, filter]);

  const remember = (user: User, message: string) => {
    setChanged((current) => ({ ...current, [user.id]: user }));
    setStatus(message);
  };

  const onAction = (action: UserAction, user: User) => {
    setStatus(null);
    setActionError(null);
    const immediate = async (run: () => Promise<void>) => {
      try {
        await run();
      } catch (caught) {
        setActionError(errorMessage(caught));
      }
    };
    switch (action) {
      case 'edit':
        setEditing(user);
        return;
      case 'enable':
        void immediate(async () => remember(await api.post<User>(userPath(user, 'enable')), `${user.username} is enabled.`));
        return;
      case 'toggle-break-glass': {
        const next = !user.breakGlassAuthorised;
        void immediate(async () => {
          const saved = await api.patch<User>(`/api/users/${encodeURIComponent(user.id)}`, { breakGlassAuthorised: next });
          remember(saved, next ? `${user.username} may now break the glass.` : `${user.username} may no longer break the glass.`);
        });
        return;
      }
      case 'disable':
        setConfirm({
          title: `Disable ${user.username}?`,
          message: `${user.displayName} will be signed out at once and cannot sign in until enabled again.`,
          confirmLabel: 'Disable user',
          run: async () => remember(await api.post<User>(userPath(user, 'disable')), `${user.username} is disabled.`),
        });
        return;
      case 'reset-mfa':
        setConfirm({
          title: `Reset MFA for ${user.username}?`,
          message: `${user.displayName} will have to set up their authenticator app again at the next sign-in.`,
          confirmLabel: 'Reset MFA',
          run: async () => remember(await api.post<User>(userPath(user, 'reset-mfa')), `MFA reset for ${user.username}.`),
        });
        return;
      case 'reset-password':
        setConfirm({
          title: `Reset the password of ${user.username}?`,
          message: `The current password stops working. You will see a temporary password to give to ${user.displayName}.`,
          confirmLabel: 'Reset password',
          run: async () => {
            const answer = await api.post<PasswordReset>(userPath(user, 'reset-password'));
            remember(answer.user, `Password reset for ${user.username}.`);
            setReset(answer);
          },
        });
        return;
    }
  };

  return (
    <Stack data-testid="users-page">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setAdding(true)} data-testid="add-user">
          Add user
        </Button>
      </Group>
      <TextInput
        label="Find a user"
        placeholder="Username or name"
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
        maw={360}
        autoFocus
        data-testid="users-filter"
        {...filterFieldProps}
      />
      {status && (
        <Alert color="green" variant="light" role="status" withCloseButton onClose={() => setStatus(null)} data-testid="users-status">
          {status}
        </Alert>
      )}
      <ErrorAlert message={actionError ?? users.error ?? roles.error} testId="users-error" />
      {users.loading && !users.data ? <PageLoader /> : <UsersTable users={list} roleName={roleName} onAction={onAction} />}
      {users.data && list.length === 0 && <Text c="dimmed">No users match.</Text>}

      <AddUserModal
        opened={adding}
        onClose={() => setAdding(false)}
        onCreated={(user) => remember(user, `${user.username} was added.`)}
        roleOptions={roleOptions}
      />
      <EditUserModal user={editing} onClose={() => setEditing(null)} onSaved={(user) => remember(user, `${user.username} was saved.`)} roleOptions={roleOptions} />
      <ConfirmModal request={confirm} onClose={() => setConfirm(null)} />
      <Modal opened={reset !== null} onClose={() => setReset(null)} title="Password reset" data-testid="reset-password-modal">
        {reset && (
          <Stack>
            <TemporaryPassword username={reset.user.username} password={reset.temporaryPassword} />
            <Group justify="flex-end">
              <Button onClick={() => setReset(null)} data-autofocus>
                Done
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
