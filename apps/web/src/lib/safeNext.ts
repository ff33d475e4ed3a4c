/** Only same-site paths are followed after login, never an absolute URL. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/flows';
}
