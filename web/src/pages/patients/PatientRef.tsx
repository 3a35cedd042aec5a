import { Anchor, Text } from '@mantine/core';
import { api } from '../../api/client';
import { useResource } from '../../components/useResource';
import { Link } from '../../router';
import { displayName } from './format';
import type { PatientView } from './types';

/** Another patient named by id (in merge history): its MRN and name, linked to its page. */
export function PatientRef({ id, known }: { id: string; known?: PatientView | null }) {
  const skip = known?.id === id;
  const loaded = useResource(skip ? `known:${id}` : `patient:${id}`, (signal) => (skip ? Promise.resolve(known) : api.get<PatientView>(`/api/patients/${id}`, { signal })));
  const p = loaded.data;
  if (!p) return <Text span size="sm" ff="monospace">{loaded.error ? id : '…'}</Text>;
  return (
    <Anchor component={Link} href={`/patients/${p.id}`} size="sm" data-testid="patient-ref" data-mrn={p.mrn}>
      MRN <Text span ff="monospace" inherit>{p.mrn}</Text> {displayName(p.name)}
    </Anchor>
  );
}
