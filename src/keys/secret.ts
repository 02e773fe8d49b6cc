import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits; the prefix makes a leaked key recognisable to secret scanners. */
export const newSecret = () => `attest_${randomBytes(32).toString('base64url')}`;

/** Keys are stored as the SHA-256 of the secret: 256 random bits need no slow hash. */
export const hashKey = (secret: string) => createHash('sha256').update(secret).digest('hex');
