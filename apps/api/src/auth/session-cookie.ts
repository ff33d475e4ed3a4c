/** The session cookie's name, shared by the guard, login and the stream watchers. */
export const SESSION_COOKIE = 'handoff_session';
