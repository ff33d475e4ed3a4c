import { useEffect, useRef } from 'react';

/**
 * Listens to one server-sent-events URL while mounted (null: not at all). Each JSON message
 * goes to `onMessage`; `onOpen` runs whenever the stream (re)connects, which is where a caller
 * fetches whatever changed while it was not listening. The browser reconnects a dropped stream.
 */
export function useServerEvents<T>(url: string | null, onMessage: (msg: T) => void, onOpen?: () => void) {
  const handlers = useRef({ onMessage, onOpen });
  handlers.current = { onMessage, onOpen };
  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return;
    const source = new EventSource(url, { withCredentials: true });
    source.onmessage = (e) => {
      let msg: T;
      try {
        msg = JSON.parse(e.data as string) as T;
      } catch {
        return;
      }
      if (msg && typeof msg === 'object') handlers.current.onMessage(msg);
    };
    source.onopen = () => handlers.current.onOpen?.();
    return () => source.close();
  }, [url]);
}

/**
 * Runs `fn` at most once per `ms`, at the end of the window, however many calls arrive in it:
 * a burst of stream messages becomes one refetch, and a steady trickle still refetches
 * (a debounce would put it off for as long as messages keep coming).
 */
export function trailingThrottle(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call: () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
