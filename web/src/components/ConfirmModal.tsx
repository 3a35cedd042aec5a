import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { ErrorAlert } from './ErrorAlert';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  run: () => Promise<void>;
}

/** Asks before a destructive action; the action's error stays in the dialog so it can be retried. */
export function ConfirmModal({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    setBusy(false);
  }, [request]);

  const confirm = async () => {
    if (!request || busy) return;
    setBusy(true);
    setError(null);
    try {
      await request.run();
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Modal opened={request !== null} onClose={onClose} title={request?.title} data-testid="confirm-modal">
      <Stack>
        <Text size="sm">{request?.message}</Text>
        <ErrorAlert message={error} testId="confirm-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus data-testid="confirm-cancel">
            Cancel
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={busy} data-testid="confirm-ok">
            {request?.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
