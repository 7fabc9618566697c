import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../storage/db-types.ts';
import {
  consumeLoginToken,
  deleteWebSession,
  findWebSessionUser,
  insertLoginToken,
  insertWebSession,
} from '../../storage/repositories/session-repository.ts';
import { findUser } from '../../storage/repositories/user-repository.ts';
import { AppError } from '../errors.ts';

export const loginLinkTtlMs = 10 * 60_000;
export const webSessionTtlMs = 30 * 86_400_000;

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only a SHA-256 of each token is stored: a leaked table lets nobody sign in. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** One-time login links (bot /web, CLI login-link) and the web sessions they start. */
export class LoginService {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(deps: { db: Db; now?: () => Date }) {
    this.#db = deps.db;
    this.#now = deps.now ?? (() => new Date());
  }

  /** A single-use link to `${baseUrl}/auth/link/<token>`, valid for 10 minutes. */
  async createLoginLink(userId: number, baseUrl: string): Promise<{ url: string; expiresAt: Date }> {
    if (!(await findUser(this.#db, userId))) throw new AppError('user-not-found');
    const token = newToken();
    const expiresAt = new Date(this.#now().getTime() + loginLinkTtlMs);
    await insertLoginToken(this.#db, { tokenHash: tokenHash(token), userId, expiresAt });
    return { url: `${baseUrl.replace(/\/$/, '')}/auth/link/${token}`, expiresAt };
  }

  /** Spends a login token and opens a web session; the token never works twice. */
  async redeemLoginLink(token: string): Promise<{ userId: number; sessionToken: string; expiresAt: Date }> {
    const now = this.#now();
    const userId = token.length <= 128 ? await consumeLoginToken(this.#db, tokenHash(token), now) : undefined;
    if (userId === undefined) throw new AppError('invalid-login-link');
    return { userId, ...(await this.startSession(userId)) };
  }

  async startSession(userId: number): Promise<{ sessionToken: string; expiresAt: Date }> {
    const sessionToken = newToken();
    const expiresAt = new Date(this.#now().getTime() + webSessionTtlMs);
    await insertWebSession(this.#db, { tokenHash: tokenHash(sessionToken), userId, expiresAt });
    return { sessionToken, expiresAt };
  }

  async resolveSession(sessionToken: string): Promise<number | undefined> {
    if (sessionToken.length > 128) return undefined;
    return findWebSessionUser(this.#db, tokenHash(sessionToken), this.#now());
  }

  async endSession(sessionToken: string): Promise<void> {
    await deleteWebSession(this.#db, tokenHash(sessionToken));
  }
}
