import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EffectPorts } from '@handoff/nodes';
import { enqueueOutbox } from '../../outbox/outbox.enqueue';
import { createReview } from '../../reviews/reviews.create';
import { httpRequest } from './http.effect';

export interface StepRef {
  runId: string;
  flowId: string;
  nodeId: string;
  test: boolean;
}

/**
 * The effect ports a node's `run` gets, bound to the step's transaction: whatever a node
 * asks for commits with its output and the next jobs, or not at all.
 */
@Injectable()
export class EffectsFactory {
  forStep(m: EntityManager, step: StepRef): EffectPorts {
    const outbox = { enqueue: (message: Parameters<EffectPorts['outbox']['enqueue']>[0]) => enqueueOutbox(m, step, message) };
    return {
      outbox,
      http: { request: httpRequest },
      review: { create: (input) => createReview(m, step, input, outbox) },
      crm: {
        updateDeal: async () => {
          throw new Error('CRM updates are not available in this build yet');
        },
      },
      intake: {
        start: async () => {
          throw new Error('Onboarding intake is not available in this build yet');
        },
      },
    };
  }
}
