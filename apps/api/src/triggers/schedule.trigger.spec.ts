import { describe, expect, it } from 'vitest';
import { planTick } from './schedule.trigger';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('planTick', () => {
  it('fires the tick that is due and plans the next one', () => {
    const plan = planTick('*/2 * * * * *', 'UTC', new Date('2026-12-01T12:00:04.100Z'), new Date('2026-12-01T12:00:02.000Z'));
    expect([iso(plan.fire), iso(plan.next)]).toEqual(['2026-12-01T12:00:04.000Z', '2026-12-01T12:00:06.000Z']);
  });

  it('fires nothing for a tick that already fired (a second job for the same tick)', () => {
    const plan = planTick('*/2 * * * * *', 'UTC', new Date('2026-12-01T12:00:05.000Z'), new Date('2026-12-01T12:00:04.000Z'));
    expect(plan.fire).toBeNull();
    expect(iso(plan.next)).toBe('2026-12-01T12:00:06.000Z');
  });

  it('after downtime fires only the latest missed tick, once', () => {
    const plan = planTick('0 9 * * *', 'Europe/Berlin', new Date('2026-12-05T10:00:00Z'), new Date('2026-12-01T08:00:00Z'));
    expect(iso(plan.fire)).toBe('2026-12-05T08:00:00.000Z');
    expect(iso(plan.next)).toBe('2026-12-06T08:00:00.000Z');
  });

  it('fires the latest tick on a first run with no history', () => {
    expect(iso(planTick('*/2 * * * * *', 'UTC', new Date('2026-12-01T12:00:04.000Z'), null).fire)).toBe('2026-12-01T12:00:04.000Z');
  });
});
