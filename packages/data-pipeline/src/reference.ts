import type { DailyRevenue, UserFeatures } from './pipeline.js';

/** One row of the event log as plain values (ts in epoch milliseconds, UTC). */
export interface EventRow {
  event_id: number;
  user_id: number;
  item_id: number;
  event_type: 'view' | 'click' | 'purchase';
  ts: number;
  price: number | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * user_features.sql as a hand-written loop: the baseline the engines are timed against, and the independent
 * reference their results are tested against. Rows are grouped by user and sorted by (ts, event_id) as the
 * window's ORDER BY says.
 */
export function userFeaturesLoop(events: readonly EventRow[], cutoffMs: number): UserFeatures[] {
  const byUser = new Map<number, EventRow[]>();
  const buyers = new Set<number>();
  for (const e of events) {
    if (e.ts < cutoffMs) {
      const list = byUser.get(e.user_id);
      if (list) list.push(e);
      else byUser.set(e.user_id, [e]);
    } else if (e.event_type === 'purchase' && e.ts < cutoffMs + 7 * DAY) buyers.add(e.user_id);
  }
  const out: UserFeatures[] = [];
  for (const [user, rows] of byUser) {
    rows.sort((a, b) => a.ts - b.ts || a.event_id - b.event_id);
    let clicks = 0;
    let purchases = 0;
    let revenue = 0;
    let sessions = 0;
    let previous = Number.NEGATIVE_INFINITY;
    for (const e of rows) {
      if (e.event_type === 'click') clicks++;
      if (e.event_type === 'purchase') {
        purchases++;
        revenue += e.price ?? 0;
      }
      if (e.ts > previous + 30 * MINUTE) sessions++;
      previous = e.ts;
    }
    out.push({
      user_id: user,
      events: rows.length,
      clicks,
      purchases,
      revenue,
      sessions,
      last_seen: rows[rows.length - 1]!.ts,
      bought_next_week: buyers.has(user) ? 1 : 0,
    });
  }
  return out.sort((a, b) => a.user_id - b.user_id);
}

/** daily_revenue.sql as a loop. */
export function dailyRevenueLoop(events: readonly EventRow[], cutoffMs: number): DailyRevenue[] {
  const days = new Map<string, { purchases: number; revenue: number }>();
  for (const e of events) {
    if (e.event_type !== 'purchase' || e.ts >= cutoffMs) continue;
    const day = new Date(e.ts).toISOString().slice(0, 10);
    const d = days.get(day) ?? { purchases: 0, revenue: 0 };
    d.purchases++;
    d.revenue += e.price ?? 0;
    days.set(day, d);
  }
  let running = 0;
  let previous: number | null = null;
  return [...days]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, d]) => {
      running += d.revenue;
      const row = {
        day,
        purchases: d.purchases,
        revenue: d.revenue,
        running_revenue: running,
        previous_revenue: previous,
      };
      previous = d.revenue;
      return row;
    });
}
