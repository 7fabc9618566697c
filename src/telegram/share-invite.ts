/**
 * The /start parameter of a calendar invite link (t.me/<bot>?start=share_<secret>): Telegram
 * allows 64 characters of A–Z, a–z, 0–9, _ and -, so the 32-character secret fits with its prefix.
 */
export const inviteStartPrefix = 'share_';
