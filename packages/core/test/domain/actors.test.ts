import { describe, expect, it } from 'vitest';
import { actorLabel } from '../../src/domain';

describe('actorLabel', () => {
  it.each([
    ['user', 'you'],
    ['poller', 'background check'],
    ['webhook', 'provider notification'],
    ['sweeper', 'stuck check'],
    ['system', 'system'],
    ['future_actor', 'future actor'],
  ])('%s -> %s', (actor, label) => {
    expect(actorLabel(actor)).toBe(label);
  });
});
