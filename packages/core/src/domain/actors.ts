/** Who caused an audited change, as the activity log names it. */
const ACTOR_LABELS: Readonly<Record<string, string>> = {
  user: 'you',
  poller: 'background check',
  webhook: 'provider notification',
  sweeper: 'stuck check',
  system: 'system',
};

/**
 * The truthful name of an audit event's actor: only what the owner did is "you"; status checks (from the
 * background poller or an open page) are a background check. An actor this build does not know keeps its name.
 */
export function actorLabel(actor: string): string {
  return ACTOR_LABELS[actor] ?? actor.replaceAll('_', ' ');
}
