import { describe, expect, it } from 'vitest';
import { configPath, errorsAt, unplacedProblems, withinField, withinStep } from './problemPaths';

describe('problem paths', () => {
  it('normalises API and validator paths to a config path', () => {
    expect(configPath({ message: 'x', path: ['nodes', 2, 'config', 'fields', 0, 'name'] })).toBe('fields.0.name');
    expect(configPath({ message: 'x', path: 'config.condition' })).toBe('condition');
    expect(configPath({ message: 'x', path: ['condition'] })).toBe('condition');
    expect(configPath({ message: 'x', path: ['config'] })).toBe('');
    expect(configPath({ message: 'x', path: ['position', 'x'] })).toBeNull();
    expect(configPath({ message: 'x' })).toBeNull();
    expect(configPath({ message: 'x', path: 'config.fields[0].name' })).toBe('fields.0.name');
    expect(configPath({ message: 'x', path: 'type' })).toBeNull();
  });

  it('places messages on fields and keeps the rest for the panel header', () => {
    const problems = [
      { message: 'Required', path: ['config', 'condition'] },
      { message: 'Bad name', path: ['config', 'fields', 0, 'name'] },
      { message: 'Not connected' },
      { message: 'Unknown key', path: ['config', 'legacy'] },
    ];
    expect(errorsAt(problems, 'condition', false)).toEqual(['Required']);
    expect(errorsAt(problems, 'fields', false)).toEqual([]);
    expect(errorsAt(problems, 'fields', true)).toEqual(['Bad name']);
    expect(unplacedProblems(problems, ['condition', 'fields']).map((p) => p.message)).toEqual(['Not connected', 'Unknown key']);
  });

  it('shortens validator messages to what the field or step needs to say', () => {
    expect(withinStep('Step "branch_1" (Branch): condition cannot be empty')).toBe('Condition cannot be empty');
    expect(withinStep('Step "crm_1" is not connected to the trigger')).toBe('Is not connected to the trigger');
    expect(withinStep('The flow has no trigger')).toBe('The flow has no trigger');
    expect(withinStep('Step "paid" (Stripe payment): signingSecret is required', 'config.signingSecret')).toBe('Signing secret is required');
    expect(withinField('Step "branch_1" (Branch): condition cannot be empty', 'condition')).toBe('Cannot be empty');
    expect(withinField('Step "i" (Intake): fields[0].name must be a short key', 'fields.0.name')).toBe('Must be a short key');
    expect(withinField('Step "n" (Notify): to needs at least one e-mail address', 'to')).toBe('Needs at least one e-mail address');
    expect(withinField('Something else', 'to')).toBe('Something else');
  });
});
