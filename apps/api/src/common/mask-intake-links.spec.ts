import { describe, expect, it } from 'vitest';
import { MASK, maskIntakeLinks } from './mask-intake-links';

const token = 'Xk3f9QpL2mN8vR4tY7wZ1aB5cD6eF0gH2iJ4kL6mN8o';

describe('maskIntakeLinks', () => {
  it('masks intake links in any text and the token an intake step outputs, leaving the rest', () => {
    const masked = maskIntakeLinks({
      output: { id: 'i1', token, url: `https://handoff.example.com/intake/${token}`, email: 'client@example.com' },
      body: `Hello! Fill in https://h.example/intake/${token} please`,
      list: [`/intake/${token}`],
      at: new Date(0),
    });
    expect(masked).toEqual({
      output: { id: 'i1', token: MASK, url: `https://handoff.example.com/intake/${MASK}`, email: 'client@example.com' },
      body: `Hello! Fill in https://h.example/intake/${MASK} please`,
      list: [`/intake/${MASK}`],
      at: new Date(0),
    });
  });

  it('leaves other fields named token alone unless they look like an intake token', () => {
    expect(maskIntakeLinks({ token: 'short' })).toEqual({ token: 'short' });
  });
});
