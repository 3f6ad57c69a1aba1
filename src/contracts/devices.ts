import { z } from 'zod';

/**
 * Tills as devices (issue 17): the one-time enrollment code head office issues, the till's exchange of
 * it for its token, token rotation, revocation, and head office's list of tills.
 */

export const enrollmentCodeRequestSchema = z.object({
  storeId: z.string().min(1),
  /** The terminal id the till will get; HQ picks the next free one of the store when absent. */
  terminalId: z.string().min(1).optional(),
  /** How long the code works; 15 minutes when absent, at most a week. */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
});
export type EnrollmentCodeRequest = z.infer<typeof enrollmentCodeRequestSchema>;

export const enrollmentCodeSchema = z.object({
  /** Shown once, e.g. 7K3M-Q9XD-2HPN-WR4T; HQ keeps only its hash. */
  code: z.string(),
  storeId: z.string(),
  terminalId: z.string().nullable(),
  expiresAt: z.string(),
});
export type EnrollmentCode = z.infer<typeof enrollmentCodeSchema>;

/** What a till sends to exchange a code for its terminal id and token (no other credential). */
export const enrollWithCodeRequestSchema = z.object({
  code: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
});
export type EnrollWithCodeRequest = z.infer<typeof enrollWithCodeRequestSchema>;

/** A till's new token; the one it called with keeps working until this one is first used. */
export const rotatedTokenSchema = z.object({
  terminalId: z.string(),
  token: z.string(),
  rotatedAt: z.string(),
});
export type RotatedToken = z.infer<typeof rotatedTokenSchema>;

export const revokeTerminalRequestSchema = z.object({ reason: z.string().trim().min(1).max(500) });

export const terminalListEntrySchema = z.object({
  terminalId: z.string(),
  storeId: z.string(),
  name: z.string().nullable(),
  enrolledAt: z.string(),
  lastSeenAt: z.string().nullable(),
  tokenRotatedAt: z.string().nullable(),
  revoked: z.object({ at: z.string(), reason: z.string(), by: z.string() }).nullable(),
});
export type TerminalListEntry = z.infer<typeof terminalListEntrySchema>;
