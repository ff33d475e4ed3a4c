import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onUnauthorized } from '../../../api/client';
import { meKey } from './useMe';

/** Any 401 from the API means the session ended: forget the user, the guard then sends them to /login. */
export function useUnauthorizedRedirect() {
  const qc = useQueryClient();
  useEffect(() => onUnauthorized(() => qc.setQueryData(meKey, null)), [qc]);
}
