import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import type { AdminUser, Page, Role } from '../../../api/types';

export const usersKey = ['users'] as const;

export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: usersKey,
    queryFn: ({ signal }) => api.get<Page<AdminUser>>('/api/users', signal),
    enabled,
  });
}

function useUserMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: usersKey }) });
}

export const useCreateUser = () => useUserMutation((v: { email: string; password: string; role: Role }) => api.post<AdminUser>('/api/users', v));
export const useUpdateUser = () => useUserMutation((v: { id: string; role?: Role; disabled?: boolean }) => api.patch<AdminUser>(`/api/users/${v.id}`, { role: v.role, disabled: v.disabled }));
export const useDeleteUser = () => useUserMutation((id: string) => api.delete(`/api/users/${id}`));
export const useResetPassword = () => useUserMutation((v: { id: string; password: string }) => api.post<void>(`/api/users/${v.id}/password`, { password: v.password }));
