import { z } from 'zod';
import { safeText } from '../core/index.ts';

/**
 * What a till records about who is at the register: sign-ins (with a switch of cashier named), sign
 * outs, failed sign-ins (the code tried and why, never the PIN) and refused approvals. HQ stores them
 * like any till event, so its audit can read them.
 */
export const AUTH_EVENT_TYPES = {
  signedIn: 'auth.signed_in',
  signedOut: 'auth.signed_out',
  signInFailed: 'auth.sign_in_failed',
  cashierSwitched: 'auth.cashier_switched',
  approvalRefused: 'auth.approval_refused',
} as const;

const code = safeText('code');

export const signedInSchema = z.object({ userId: code.min(1), code: code.min(1), shiftId: code.optional() });
export const signedOutSchema = z.object({ userId: code.min(1) });
export const signInFailedSchema = z.object({
  code,
  reason: z.enum(['wrong_pin', 'unknown_code', 'locked']),
});
export const cashierSwitchedSchema = z.object({
  fromUserId: code.min(1),
  toUserId: code.min(1),
  shiftId: code.optional(),
});
export const approvalRefusedSchema = z.object({
  code,
  field: code,
  what: safeText('reason'),
  reason: z.enum(['wrong_pin', 'locked', 'no_permission', 'no_approver_named']),
});

export const authEventSchemas = {
  [AUTH_EVENT_TYPES.signedIn]: signedInSchema,
  [AUTH_EVENT_TYPES.signedOut]: signedOutSchema,
  [AUTH_EVENT_TYPES.signInFailed]: signInFailedSchema,
  [AUTH_EVENT_TYPES.cashierSwitched]: cashierSwitchedSchema,
  [AUTH_EVENT_TYPES.approvalRefused]: approvalRefusedSchema,
} as const;
