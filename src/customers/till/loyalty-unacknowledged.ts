/**
 * The balance a till shows for a customer: HQ's ledger balance plus this till's movements HQ's ledger
 * does not show yet. Pure, so the property test can walk every order of earn, burn, sync and refresh.
 * A movement leaves the pending list only when HQ names its event as applied, never on a guess, so a
 * balance asked before the till's events synced is not too low and one asked after is not doubled.
 */
export interface PendingMovement {
  eventId: string;
  /** Net change of the balance: earned and given back less taken back and burned offline. */
  points: number;
  /** Of which burned offline (counts against the offline cap until HQ has it). */
  offlineBurnPoints: number;
}

export interface ShownBalance {
  balancePoints: number;
  offlineSpentPoints: number;
  /** Pending movements HQ now shows: the till forgets them. */
  acknowledged: string[];
}

export function shownBalance(
  hqBalancePoints: number,
  pending: readonly PendingMovement[],
  applied: Iterable<string>,
): ShownBalance {
  const done = new Set(applied);
  let balancePoints = hqBalancePoints;
  let offlineSpentPoints = 0;
  const acknowledged: string[] = [];
  for (const p of pending) {
    if (done.has(p.eventId)) {
      acknowledged.push(p.eventId);
      continue;
    }
    balancePoints += p.points;
    offlineSpentPoints += p.offlineBurnPoints;
  }
  return { balancePoints, offlineSpentPoints, acknowledged };
}
