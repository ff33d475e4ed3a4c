import { Init1763800000000 } from './1763800000000-init';
import { Engine1763900000000 } from './1763900000000-engine';
import { StripeEvents1764000000000 } from './1764000000000-stripe-events';
import { CrmIntake1764100000000 } from './1764100000000-crm-intake';
import { LoginFailures1764200000000 } from './1764200000000-login-failures';
import { Retention1764300000000 } from './1764300000000-retention';
import { RunIndexes1764400000000 } from './1764400000000-run-indexes';
import { Triggers1764500000000 } from './1764500000000-triggers';
import { CrmWorkplace1764600000000 } from './1764600000000-crm-workplace';
import { AuthLifecycle1764700000000 } from './1764700000000-auth-lifecycle';
import { TestDeals1764800000000 } from './1764800000000-test-deals';
import { InlineSteps1765100000000 } from './1765100000000-inline-steps';
import { StepInputFrom1765200000000 } from './1765200000000-step-input-from';
import { StepsHot1765300000000 } from './1765300000000-steps-hot';
import { DealPayment1765400000000 } from './1765400000000-deal-payment';

// Listed explicitly so the bundled app carries its migrations; order is by timestamp.
export const migrations = [Init1763800000000, Engine1763900000000, StripeEvents1764000000000, CrmIntake1764100000000, LoginFailures1764200000000, Retention1764300000000, RunIndexes1764400000000, Triggers1764500000000, CrmWorkplace1764600000000, AuthLifecycle1764700000000, TestDeals1764800000000, InlineSteps1765100000000, StepInputFrom1765200000000, StepsHot1765300000000, DealPayment1765400000000];
