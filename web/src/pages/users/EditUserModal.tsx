import { Button, Group, Modal, MultiSelect, Stack, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import type { User } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';

interface EditUserModalProps {
  user: User | null;
  onClose: () => void;
  onSaved: (user: User) => void;
  roleOptions: { value: string; label: string }[];
}

export function EditUserModal({ user, onClose, onSaved, roleOptions }: EditUserModalProps) {
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setDisplayName(user?.displayName ?? '');
    setRoles(user?.roles ?? []);
    setError(null);
  }, [user]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!user || busy) return;
    if (!displayName.trim()) {
      setError('The display name cannot be empty.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<User>(`/api/users/${encodeURIComponent(user.id)}`, { displayName: displayName.trim(), roles });
      onSaved(saved);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={user !== null} onClose={onClose} title={user ? `Edit ${user.username}` : ''} data-testid="edit-user-modal">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Display name"
            value={displayName}
            onChange={(event) => setDisplayName(event.currentTarget.value)}
            data-autofocus
            required
            data-testid="edit-user-display-name"
          />
          <MultiSelect
            label="Roles"
            description="Changing roles is a privilege change and is audited."
            data={roleOptions}
            value={roles}
            onChange={setRoles}
            searchable
            clearable
            data-testid="edit-user-roles"
          />
          <ErrorAlert message={error} testId="edit-user-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="edit-user-submit">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
