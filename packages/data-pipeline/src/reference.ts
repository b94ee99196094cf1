import type { DailyRevenue, UserFeatures } from './pipeline.js';

/**
 * The pipeline as hand-written loops over columns: the independent reference the SQL is tested against, and the
 * baseline the engines are timed against in the bench. Rows are grouped by user with a counting sort (user ids are
 * small whole numbers) in (ts, event_id) order, as the window's ORDER BY says, then one pass per user.
 */

const DAY_MS = 86_400_000;
const SESSION_GAP_MS = 30 * 60_000;

/** The event log as columns (what an Arrow reader gives, or `columnsOf` rows). */
export interface EventColumns {
  eventId: ArrayLike<number>;
  userId: ArrayLike<number>;
  eventType: ArrayLike<string>;
  /** Epoch milliseconds. */
  ts: ArrayLike<number>;
  price: ArrayLike<number | null>;
}

/** Row indices ordered by (ts, event_id): checked in one pass, sorted only if the file is not already in that order. */
function timeOrder(c: EventColumns): Int32Array {
  const n = c.ts.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 1; i < n; i++) {
    const earlier = c.ts[i - 1]! < c.ts[i]! || (c.ts[i - 1] === c.ts[i] && c.eventId[i - 1]! < c.eventId[i]!);
    if (!earlier) return order.sort((a, b) => c.ts[a]! - c.ts[b]! || c.eventId[a]! - c.eventId[b]!);
  }
  return order;
}

export function loopUserFeatures(c: EventColumns, cutoffMs: number): UserFeatures[] {
  const order = timeOrder(c);
  let maxUser = 0;
  for (let i = 0; i < c.userId.length; i++) maxUser = Math.max(maxUser, c.userId[i]!);
  // Counting sort by user, stable, so each user's rows stay in time order.
  const start = new Int32Array(maxUser + 2);
  for (let i = 0; i < c.userId.length; i++) start[c.userId[i]! + 1]!++;
  for (let u = 0; u <= maxUser; u++) start[u + 1]! += start[u]!;
  const byUser = new Int32Array(order.length);
  const next = start.slice(0, maxUser + 1);
  for (const i of order) byUser[next[c.userId[i]!]!++] = i;
  const out: UserFeatures[] = [];
  for (let u = 0; u <= maxUser; u++) {
    let events = 0;
    let clicks = 0;
    let purchases = 0;
    let revenue = 0;
    let sessions = 0;
    let lastSeen = Number.NEGATIVE_INFINITY;
    let bought = 0;
    for (let p = start[u]!; p < start[u + 1]!; p++) {
      const i = byUser[p]!;
      const ts = c.ts[i]!;
      const type = c.eventType[i];
      if (ts >= cutoffMs) {
        if (type === 'purchase' && ts < cutoffMs + 7 * DAY_MS) bought = 1;
        continue;
      }
      events++;
      if (type === 'click') clicks++;
      else if (type === 'purchase') {
        purchases++;
        revenue += c.price[i] ?? 0;
      }
      if (ts > lastSeen + SESSION_GAP_MS) sessions++;
      lastSeen = ts;
    }
    if (events > 0)
      out.push({
        user_id: u,
        events,
        clicks,
        purchases,
        revenue,
        sessions,
        last_seen: lastSeen,
        bought_next_week: bought,
      });
  }
  return out;
}

export function loopDailyRevenue(c: EventColumns, cutoffMs: number): DailyRevenue[] {
  const purchases = new Map<number, number>();
  const revenue = new Map<number, number>();
  for (let i = 0; i < c.ts.length; i++) {
    if (c.eventType[i] !== 'purchase' || c.ts[i]! >= cutoffMs) continue;
    const day = Math.floor(c.ts[i]! / DAY_MS);
    purchases.set(day, (purchases.get(day) ?? 0) + 1);
    revenue.set(day, (revenue.get(day) ?? 0) + (c.price[i] ?? 0));
  }
  let running = 0;
  let previous: number | null = null;
  return [...purchases.keys()]
    .sort((a, b) => a - b)
    .map((day) => {
      const r = revenue.get(day)!;
      running += r;
      const row = {
        day: new Date(day * DAY_MS).toISOString().slice(0, 10),
        purchases: purchases.get(day)!,
        revenue: r,
        running_revenue: running,
        previous_revenue: previous,
      };
      previous = r;
      return row;
    });
}

/** One row of the event log as plain values (ts in epoch milliseconds, UTC). */
export interface EventRow {
  event_id: number;
  user_id: number;
  item_id: number;
  event_type: 'view' | 'click' | 'purchase';
  ts: number;
  price: number | null;
}

export function columnsOf(rows: readonly EventRow[]): EventColumns {
  return {
    eventId: rows.map((r) => r.event_id),
    userId: rows.map((r) => r.user_id),
    eventType: rows.map((r) => r.event_type),
    ts: rows.map((r) => r.ts),
    price: rows.map((r) => r.price),
  };
}
