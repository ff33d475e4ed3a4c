import { describe, expect, it } from 'vitest';
import { eventPickerView, toggleEventType } from './eventPicker';

describe('eventPickerView', () => {
  it('offers every catalogue group, the wildcard first where allowed', () => {
    const view = eventPickerView('', [], true);
    expect(view.groups[0]).toEqual({ group: 'all events', types: ['*'] });
    expect(view.groups[1].group).toBe('checkout.session');
    expect(view.typed).toBeNull();
    expect(eventPickerView('', [], false).groups[0].group).toBe('checkout.session');
  });

  it('narrows to matching types and offers a well-formed unknown query as a typed type', () => {
    const view = eventPickerView('invoice.some_future_event', [], false);
    expect(view.groups).toEqual([]);
    expect(view.typed).toBe('invoice.some_future_event');
    expect(view.flat).toEqual(['invoice.some_future_event']);
  });

  it('does not offer a typed type that is malformed or already listed', () => {
    expect(eventPickerView('Invoice Paid', [], false).typed).toBeNull();
    expect(eventPickerView('invoice.paid', [], false).typed).toBeNull();
    expect(eventPickerView('invoice.paid', [], false).flat).toContain('invoice.paid');
    expect(eventPickerView('*', [], false).typed).toBeNull();
    expect(eventPickerView('*', [], true).flat).toEqual(['*']);
  });

  it('keeps chosen typed types in their own group so they can be unticked', () => {
    const view = eventPickerView('', ['invoice.paid', 'invoice.some_future_event'], false);
    expect(view.groups[0]).toEqual({ group: 'typed', types: ['invoice.some_future_event'] });
  });
});

describe('toggleEventType', () => {
  it('adds at the end and removes in place', () => {
    expect(toggleEventType(['a.b'], 'c.d')).toEqual(['a.b', 'c.d']);
    expect(toggleEventType(['a.b', 'c.d', 'e.f'], 'c.d')).toEqual(['a.b', 'e.f']);
  });
});
