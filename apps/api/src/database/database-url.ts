/** Injection token for the connection string, for the few parts that open their own connections (queue, LISTEN). */
export const DATABASE_URL = Symbol('DATABASE_URL');
