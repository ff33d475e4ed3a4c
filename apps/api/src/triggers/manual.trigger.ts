import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FlowNode } from '@handoff/nodes';
import { TriggerAdapter, TriggerInputError, TriggerRun } from './trigger-adapter';

/** `manual.trigger`: runs only when someone starts one from the editor or the test-run API. */
@Injectable()
export class ManualTrigger implements TriggerAdapter {
  readonly type = 'manual.trigger';

  runOf(): TriggerRun | null {
    return null;
  }

  testRun(node: FlowNode, body: { payload?: unknown }) {
    const sample = body.payload ?? (node.config as { sample?: unknown }).sample ?? {};
    if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) throw new TriggerInputError('`payload` must be a JSON object');
    return { trigger: sample, triggerType: this.type, key: `test:${randomUUID()}`, payload: sample, type: 'manual' };
  }
}
