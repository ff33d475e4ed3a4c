/**
 * Reads a server-sent event stream as a browser's EventSource would: each event is a block of
 * lines ended by a blank line; unnamed events' `data` goes to `seen` (parsed JSON), named ones
 * (`ready`, `ping`) to `named`. `stop` ends the request (an open stream keeps the app from closing).
 */
export async function openStream<T>(url: string, cookie: string) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: ac.signal });
  const seen: T[] = [];
  const named: string[] = [];
  const reading = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    let buf = '';
    let event: string | null = null;
    let data: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += Buffer.from(value).toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (event) named.push(event);
          else if (data.length) seen.push(JSON.parse(data.join('\n')) as T);
          event = null;
          data = [];
        } else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
    }
  })().catch(() => undefined);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    seen,
    named,
    /** Resolves when the stream ends without the client stopping it (the server closed it, or its connection). */
    ended: reading,
    stop: async () => {
      ac.abort();
      await reading;
    },
  };
}
