import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EffectPorts } from '@handoff/nodes';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { CredentialsService } from '../../credentials/credentials.service';
import { IntakeWithoutEmailError, startIntake } from '../../intakes/intakes.create';
import { enqueueOutbox } from '../../outbox/outbox.enqueue';
import { createReview } from '../../reviews/reviews.create';
import { PermanentStepError } from '../step-errors';
import { createTask, createTicket, updateContact, updateDeal } from './crm.effect';
import { httpRequest } from './http.effect';
import { stripeEffects } from './stripe.effect';

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
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: CredentialsService,
  ) {}

  /** Where the links we e-mail (intake forms) point: HANDOFF_PUBLIC_URL, else this process's port on localhost. */
  private get publicUrl(): string {
    return this.config.publicUrl ?? `http://localhost:${this.config.port}`;
  }

  forStep(m: EntityManager, step: StepRef): EffectPorts {
    const outbox = { enqueue: (message: Parameters<EffectPorts['outbox']['enqueue']>[0]) => enqueueOutbox(m, step, message) };
    return {
      outbox,
      http: { request: (input) => httpRequest(input, this.credentials) },
      stripe: stripeEffects(this.credentials, async (dealId) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stripe.invoice:${dealId}`]);
      }),
      review: { create: (input) => createReview(m, step, input) },
      crm: {
        updateDeal: (input) => updateDeal(m, step, input, outbox),
        createTask: (input) => createTask(m, step, input, outbox),
        updateContact: (input) => updateContact(m, input, outbox),
        createTicket: (input) => createTicket(input, outbox),
      },
      intake: {
        start: (input) =>
          startIntake(m, step, input, this.publicUrl, outbox).catch((e: unknown) => {
            throw e instanceof IntakeWithoutEmailError ? new PermanentStepError(e.message) : e;
          }),
      },
    };
  }
}
