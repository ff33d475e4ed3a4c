import { evaluateExpression, renderTemplate } from '@handoff/nodes';

/**
 * Evaluates a preview off the page's thread with the engine's own JSONata code, so a slow or
 * runaway expression costs this worker (terminated after a deadline), never the editor.
 */
interface Request {
  id: number;
  text: string;
  mode: 'template' | 'expression';
  scope: unknown;
}

const worker = self as unknown as { onmessage: ((e: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };

worker.onmessage = async (e) => {
  const { id, text, mode, scope } = e.data;
  try {
    const value = mode === 'expression' ? await evaluateExpression(text, scope) : await renderTemplate(text, scope);
    // Functions and other uncloneable results become what JSON makes of them.
    worker.postMessage({ id, ok: true, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value) ?? 'null') });
  } catch (err) {
    worker.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
