import { Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import type { CreatedUser, User } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TemporaryPassword } from '../../components/TemporaryPassword';

interface AddUserModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
  roleOptions: { value: string; label: string }[];
}

export function AddUserModal({ opened, onClose, onCreated, roleOptions }: AddUserModalProps) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedUser | null>(null);

  useEffect(() => {
    if (!opened) return;
    setUsername('');
    setDisplayName('');
    setRoles([]);
    setError(null);
    setCreated(null);
  }, [opened]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !displayName.trim()) {
      setError('Enter a username and a display name.');
      return;
    }
    if (roles.length === 0) {
      setError('Choose at least one role.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<CreatedUser>('/api/users', { username: username.trim(), displayName: displayName.trim(), roles });
      onCreated(answer.user);
      if (answer.temporaryPassword) setCreated(answer);
      else onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={created ? 'User added' : 'Add user'} data-testid="add-user-modal">
      {created?.temporaryPassword ? (
        <Stack>
          <TemporaryPassword username={created.user.username} password={created.temporaryPassword} />
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus data-testid="add-user-done">
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label="Username"
              description="Used to sign in; letters, digits, dots, dashes."
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
              autoComplete="off"
              data-autofocus
              required
              data-testid="add-user-username"
            />
            <TextInput
              label="Display name"
              value={displayName}
              onChange={(event) => setDisplayName(event.currentTarget.value)}
              autoComplete="off"
              required
              data-testid="add-user-display-name"
            />
            <MultiSelect
              label="Roles"
              data={roleOptions}
              value={roles}
              onChange={setRoles}
              searchable
              clearable
              required
              comboboxProps={{ withinPortal: true }}
              data-testid="add-user-roles"
            />
            <ErrorAlert message={error} testId="add-user-error" />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} data-testid="add-user-submit">
                Add user
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
