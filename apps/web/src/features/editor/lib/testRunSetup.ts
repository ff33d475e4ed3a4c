import { sampleEvent, type NodeDefinition, type SampleKind } from '@handoff/nodes';

export type TestMode = 'stripeEvent' | 'payload';

/** How the test dialog starts: which input it asks for and the JSON it is prefilled with. */
export interface TestRunSetup {
  mode: TestMode;
  initial: unknown;
}

/** The body of POST /api/flows/:id/test-run: a Stripe event, or a payload that becomes `trigger`. */
export type TestRunBody = { event: unknown } | { payload: unknown };

export const DEFAULT_SAMPLE_KIND: SampleKind = 'checkout_paid';

/**
 * The test dialog's setup for the flow's trigger, from what its node type declares
 * (`trigger.test`, `trigger.sample`), never from its type name. The sample sees the parsed
 * config (defaults filled in) when the config is valid, else the config as it is, so a
 * half-configured trigger still gets a sample to edit.
 */
export function testRunSetupOf(def: NodeDefinition | undefined, config: Record<string, unknown>): TestRunSetup {
  const info = def?.trigger;
  const mode: TestMode = info?.test ?? 'payload';
  let initial: unknown;
  if (def && info?.sample) {
    const parsed = def.config.safeParse(config);
    try {
      initial = info.sample(parsed.success ? parsed.data : config);
    } catch {
      initial = undefined; // a sample that cannot read a half-filled config: use the fallback below
    }
  }
  if (initial === undefined) initial = mode === 'stripeEvent' ? sampleEvent(DEFAULT_SAMPLE_KIND) : (config.sample ?? {});
  return { mode, initial };
}

export function testRunBody(mode: TestMode, value: unknown): TestRunBody {
  return mode === 'stripeEvent' ? { event: value } : { payload: value };
}
