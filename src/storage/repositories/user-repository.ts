import type { Insertable, Updateable } from 'kysely';
import type { PreferencesRow, PreferencesTable, UserRow, UsersTable } from '../schema.ts';
import type { Executor } from '../transaction.ts';

export async function findUser(db: Executor, telegramId: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('telegram_id', '=', telegramId).executeTakeFirst();
}

/** Inserts the user unless present; returns whether a row was created. */
export async function insertUserIfAbsent(db: Executor, user: Insertable<UsersTable>): Promise<boolean> {
  const result = await db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('telegram_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateUser(
  db: Executor,
  telegramId: number,
  changes: Updateable<UsersTable>,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set(changes)
    .where('telegram_id', '=', telegramId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteUser(db: Executor, telegramId: number): Promise<boolean> {
  const result = await db.deleteFrom('users').where('telegram_id', '=', telegramId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertDefaultPreferences(db: Executor, userId: number): Promise<void> {
  await db
    .insertInto('preferences')
    .values({ user_id: userId })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

export async function findPreferences(db: Executor, userId: number): Promise<PreferencesRow | undefined> {
  return db.selectFrom('preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function updatePreferences(
  db: Executor,
  userId: number,
  changes: Updateable<PreferencesTable>,
): Promise<PreferencesRow | undefined> {
  return db
    .updateTable('preferences')
    .set(changes)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}
