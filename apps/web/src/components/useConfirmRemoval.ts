import { useState } from 'react';

/** The part of a TanStack mutation a "remove this row?" confirmation needs. */
interface RemoveMutation {
  mutate: (id: string, options?: { onSuccess?: () => void }) => void;
  reset: () => void;
  isPending: boolean;
  error: unknown;
}

/**
 * Holds the row a destructive action waits on and wires ConfirmDialog to the mutation:
 * `ask(row)` clears the previous error and opens; the dialog closes when the mutation succeeds.
 */
export function useConfirmRemoval<T extends { id: string }>(mutation: RemoveMutation) {
  const [target, setTarget] = useState<T | null>(null);
  return {
    target,
    ask: (row: T) => {
      mutation.reset();
      setTarget(row);
    },
    dialog: {
      open: target !== null,
      busy: mutation.isPending,
      error: mutation.error ?? undefined,
      onClose: () => setTarget(null),
      onConfirm: () => target && mutation.mutate(target.id, { onSuccess: () => setTarget(null) }),
    },
  };
}
