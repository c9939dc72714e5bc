import path from 'node:path';

// Accounts are created once per run by auth.setup.ts (sign-up is rate limited per IP) and reused through
// their saved browser state.
export const PASSWORD = 'correct horse battery staple';

export const USERS = {
  alice: { name: 'Alice Example', email: 'alice@example.com' },
  bob: { name: 'Bob Example', email: 'bob@example.com' },
  dana: { name: 'Dana Example', email: 'dana@example.com' },
  // Specs that count what an account holds (its video list, its webhook deliveries) have one to themselves: spec
  // files run side by side, and another spec's video would be counted too.
  lena: { name: 'Lena Example', email: 'lena@example.com' },
  wes: { name: 'Wes Example', email: 'wes@example.com' },
} as const;

export type UserKey = keyof typeof USERS;

export function storageStatePath(user: UserKey): string {
  return path.join(import.meta.dirname, '..', '.auth', `${user}.json`);
}
