/**
 * When a reserved clip starts uploading (clip-lifecycle.md section 3): after the user presses
 * Send (review), a number of minutes after reservation unless it is being edited, or at once.
 */
import type { SendPolicy } from '../settings';

/** A draft edit this recent means the user is still at it. */
export const EDITING_GRACE_MS = 30_000;

export type SendDecision =
  | { readonly kind: 'send' }
  /** Check again at `atMs` (epoch ms). */
  | { readonly kind: 'wait'; readonly atMs: number }
  /** Only the user's Send starts it. */
  | { readonly kind: 'hold' };

export function decideSend(
  policy: SendPolicy,
  clip: { readonly reservedAtMs: number; readonly draftEditedAtMs?: number },
  nowMs: number,
): SendDecision {
  switch (policy.kind) {
    case 'review':
      return { kind: 'hold' };
    case 'immediate':
      return { kind: 'send' };
    case 'after-delay': {
      const due = clip.reservedAtMs + policy.minutes * 60_000;
      const editingUntil =
        clip.draftEditedAtMs === undefined ? 0 : clip.draftEditedAtMs + EDITING_GRACE_MS;
      const at = Math.max(due, editingUntil);
      return at <= nowMs ? { kind: 'send' } : { kind: 'wait', atMs: at };
    }
  }
}
