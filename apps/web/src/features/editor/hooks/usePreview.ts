import { useEffect, useState } from 'react';
import { plainPreview, type FieldMode } from '../lib/fieldInsert';

export type Preview = { state: 'value'; value: unknown } | { state: 'pending' } | { state: 'error'; message: string } | null;

/** How long a preview may run before its worker is stopped. */
export const PREVIEW_DEADLINE_MS = 1000;

let worker: Worker | null = null;
let nextId = 1;

function evaluateInWorker(text: string, mode: FieldMode, scope: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  worker ??= new Worker(new URL('../components/fields/data/previewWorker.ts', import.meta.url), { type: 'module' });
  const w = worker;
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      w.removeEventListener('message', onMessage);
      w.terminate();
      if (worker === w) worker = null;
      resolve({ ok: false, error: `Preview stopped: the expression ran longer than ${PREVIEW_DEADLINE_MS / 1000} s on the sample` });
    }, PREVIEW_DEADLINE_MS);
    const onMessage = (e: MessageEvent<{ id: number; ok: boolean; value?: unknown; error?: string }>) => {
      if (e.data.id !== id) return;
      clearTimeout(timer);
      w.removeEventListener('message', onMessage);
      resolve(e.data.ok ? { ok: true, value: e.data.value } : { ok: false, error: e.data.error ?? 'failed' });
    };
    w.addEventListener('message', onMessage);
    w.postMessage({ id, text, mode, scope });
  });
}

/**
 * The field's value rendered against the sample: plain paths at once, anything else through the
 * engine's JSONata in a worker (debounced, with a deadline). Null when there is nothing to render.
 */
export function usePreview(text: string, mode: FieldMode, scope: unknown, enabled: boolean): Preview {
  const wanted = enabled && text.trim() !== '' && (mode === 'expression' || text.includes('{{'));
  const plain = wanted ? plainPreview(text, mode, scope) : null;
  const [evaluated, setEvaluated] = useState<{ key: string; preview: Preview } | null>(null);
  const needsWorker = wanted && plain === null;

  useEffect(() => {
    if (!needsWorker) return;
    let live = true;
    const timer = setTimeout(() => {
      void evaluateInWorker(text, mode, scope).then((r) => {
        if (live) setEvaluated({ key: text, preview: r.ok ? { state: 'value', value: r.value } : { state: 'error', message: r.error } });
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [needsWorker, text, mode, scope]);

  if (!wanted) return null;
  if (plain) return { state: 'value', value: plain.value };
  return evaluated?.key === text ? evaluated.preview : { state: 'pending' };
}
