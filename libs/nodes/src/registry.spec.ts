import { describe, expect, it } from 'vitest';
import { configJsonSchema, defaultConfig, getNodeType, isTrigger, nodeTypes, paletteGroups } from './registry';

describe('node registry', () => {
  it('registers every node type under its own type name', () => {
    for (const [key, def] of Object.entries(nodeTypes)) expect(def.type).toBe(key);
    expect(Object.keys(nodeTypes).sort()).toEqual(
      [
        'branch',
        'crm.createTask',
        'crm.createTicket',
        'crm.trigger',
        'crm.updateContact',
        'crm.updateDeal',
        'delay',
        'http.request',
        'intake.start',
        'manual.trigger',
        'notify',
        'review',
        'schedule.trigger',
        'stripe.customer',
        'stripe.invoice',
        'stripe.refund',
        'stripe.trigger',
        'wait.event',
        'webhook.trigger',
      ].sort(),
    );
  });

  it('finds a node type, and nothing for unknown names or Object prototype keys', () => {
    expect(getNodeType('branch')?.ports).toEqual(['true', 'false']);
    expect(getNodeType('fax.send')).toBeUndefined();
    expect(getNodeType('toString')).toBeUndefined();
  });

  it('tells triggers from other nodes', () => {
    expect(['stripe.trigger', 'manual.trigger', 'schedule.trigger', 'webhook.trigger', 'crm.trigger'].every(isTrigger)).toBe(true);
    expect(isTrigger('branch')).toBe(false);
    expect(isTrigger('unknown')).toBe(false);
  });

  it('tells the editor how every trigger fires and how to test it', () => {
    for (const def of Object.values(nodeTypes).filter((d) => d.kind === 'trigger')) {
      expect(['stripeEvent', 'payload'], def.type).toContain(def.trigger?.test);
    }
    expect(getNodeType('stripe.trigger')?.trigger?.hook?.path).toBe('stripe');
    expect(getNodeType('webhook.trigger')?.trigger?.hook?.path).toBe('webhook');
  });

  it('puts every node type in exactly one palette group, in flow order', () => {
    expect(paletteGroups.map((g) => g.id)).toEqual(['triggers', 'logic', 'crm', 'stripe', 'notify', 'intake', 'human']);
    const listed = paletteGroups.flatMap((g) => g.types);
    expect(listed.sort()).toEqual(Object.keys(nodeTypes).sort());
    expect(paletteGroups[0].types).toEqual(['stripe.trigger', 'manual.trigger', 'schedule.trigger', 'webhook.trigger', 'crm.trigger']);
  });

  it('gives every effect node the default idempotency key and the shared effect fields', () => {
    const effects = Object.values(nodeTypes).filter((d) => d.effect);
    expect(effects.map((d) => d.type).sort()).toEqual(['crm.createTask', 'crm.createTicket', 'crm.updateContact', 'crm.updateDeal', 'http.request', 'intake.start', 'notify', 'review', 'stripe.customer', 'stripe.invoice', 'stripe.refund']);
    for (const def of effects) {
      expect(def.effect?.defaultKey).toBe('{{run.id}}:{{node.id}}');
      const props = (configJsonSchema(def.type)?.properties ?? {}) as Record<string, unknown>;
      expect(Object.keys(props)).toEqual(expect.arrayContaining(['idempotencyKey', 'retry']));
    }
  });
});

describe('config schemas for the editor', () => {
  it.each(Object.keys(nodeTypes))('%s converts to JSON Schema with a description on every field', (type) => {
    const schema = configJsonSchema(type) as { type: string; properties: Record<string, { description?: string }> };
    expect(schema.type).toBe('object');
    for (const [name, prop] of Object.entries(schema.properties)) {
      expect(prop.description, `${type}.${name}`).toBeTruthy();
    }
  });

  it('shows defaults in the JSON Schema', () => {
    const props = configJsonSchema('stripe.trigger')?.properties as Record<string, { default?: unknown }>;
    expect(props.events.default).toEqual(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
  });

  it('tags credential fields with the credential types to offer', () => {
    const props = configJsonSchema('stripe.trigger')?.properties as Record<string, { credentialTypes?: string[] }>;
    expect(props.signingSecret.credentialTypes).toEqual(['stripe.signingSecret']);
  });

  it('starts a dropped node with every default and leaves required fields for the person', () => {
    expect(defaultConfig('delay')).toEqual({ duration: 'P1D' });
    const stripe = defaultConfig('stripe.trigger');
    expect(stripe).toEqual({ events: ['checkout.session.completed', 'checkout.session.async_payment_succeeded'], livemode: 'any' });
    expect(defaultConfig('review')).not.toHaveProperty('owner');
    expect(defaultConfig('unknown')).toEqual({});
  });

  it('has defaults that pass validation wherever nothing is required', () => {
    for (const type of ['manual.trigger', 'schedule.trigger', 'branch', 'delay', 'wait.event', 'crm.updateDeal', 'notify', 'intake.start']) {
      const def = getNodeType(type);
      expect(def?.config.safeParse(defaultConfig(type)).success, type).toBe(true);
    }
  });
});
