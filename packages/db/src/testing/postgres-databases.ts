import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openPostgres } from '../open-postgres';
import { migrationsKey } from './migrations-key';

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, disconnecting anyone still on it. */
  drop(): Promise<void>;
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

export interface CreateDatabaseOptions {
  /** A copy of a database the committed migrations were applied to once (`migratedTemplateOn`); empty otherwise. */
  migrated?: boolean;
  /** Names the template (default: a hash of the migrations). Tests of the template itself use their own. */
  templateKey?: string;
}

/** Creates a fresh, uniquely named database on the server of `serverUrl`: empty, or migrated. */
export async function createDatabaseOn(serverUrl: string, options: CreateDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `sora_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const create = async () => {
    const template = options.migrated ? await migratedTemplateOn(serverUrl, options.templateKey) : null;
    await onServer(serverUrl, (sql) => sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`));
  };
  try {
    await create();
  } catch (error) {
    // The template was removed meanwhile (a day old, by another checkout's run): make it again, once.
    if (!options.migrated || (error as { code?: string }).code !== '3D000') throw error;
    forgetTemplate(serverUrl, options.templateKey);
    await create();
  }
  return {
    name,
    url: databaseUrlOn(serverUrl, name),
    drop: () => onServer(serverUrl, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`)),
  };
}

const templates = new Map<string, Promise<string>>();
const TEMPLATE_PREFIX = 'sora_template_';

/**
 * The name of a database on this server with every committed migration applied, made on first use and kept: a copy
 * of it took half the CPU (server and client, 0.10 against 0.18–0.21 s here) and half the time (0.10 against 0.21–
 * 0.24 s) of creating an empty database and migrating it. Named by a hash of the migrations, so every test process and checkout on the server shares it
 * and a new migration gets a new one. Built under a temporary name and renamed when complete, so no process ever
 * copies a half-migrated template; nothing stays connected to it (PostgreSQL copies only an unused database).
 */
export function migratedTemplateOn(serverUrl: string, key = migrationsKey()): Promise<string> {
  const cacheKey = templateCacheKey(serverUrl, key);
  let template = templates.get(cacheKey);
  if (!template) {
    template = buildTemplate(serverUrl, `${TEMPLATE_PREFIX}${key}`);
    templates.set(cacheKey, template);
    // A failure (a server briefly down) is not kept: the next test tries again.
    template.catch(() => templates.delete(cacheKey));
  }
  return template;
}

function forgetTemplate(serverUrl: string, key = migrationsKey()): void {
  templates.delete(templateCacheKey(serverUrl, key));
}

function templateCacheKey(serverUrl: string, key: string): string {
  return `${serverUrl} ${key}`;
}

async function buildTemplate(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, async (sql) => {
    const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
    if (existing) return;
    const building = `${name}_${randomBytes(4).toString('hex')}`;
    await sql.unsafe(`create database "${building}"`);
    try {
      const handle = await openPostgres({ databaseUrl: databaseUrlOn(serverUrl, building), max: 1 });
      await handle.close();
      await sql.unsafe(`comment on database "${building}" is '${new Date().toISOString()}'`);
      await sql.unsafe(`alter database "${building}" rename to "${name}"`);
    } catch (error) {
      await sql.unsafe(`drop database if exists "${building}" with (force)`);
      // Another process finished the same template first: use theirs. (The name is taken: 42P04, or 23505 when both
      // renamed at once.)
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
      return;
    }
    await removeOutdatedTemplates(sql, name);
  });
  return name;
}

/**
 * Templates of other migrations made over a day ago (the date is their comment). Not sooner: another checkout on this
 * server may be testing other migrations right now. Never one being built (its name has a suffix), never by force.
 */
async function removeOutdatedTemplates(sql: postgres.Sql, current: string): Promise<void> {
  const outdated = await sql<{ name: string }[]>`
    select d.datname as name from pg_database d
    where d.datname ~ ${`^${TEMPLATE_PREFIX}[0-9a-f]{16}$`} and d.datname <> ${current}
      and coalesce(shobj_description(d.oid, 'pg_database'), '') < ${new Date(Date.now() - 86_400_000).toISOString()}`;
  for (const { name } of outdated) await sql.unsafe(`drop database if exists "${name}"`).catch(() => undefined);
}

async function onServer(url: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
