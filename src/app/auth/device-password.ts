import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// Lower-case letters and digits without look-alikes (0/o, 1/l/i): easy to type on a phone.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A new device password: 5 groups of 4 characters, about 98 bits of randomness. */
export function generateDevicePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += alphabet[randomInt(alphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Argon2id (the library's default algorithm) with its recommended cost parameters. */
export function hashDevicePassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyDevicePassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
