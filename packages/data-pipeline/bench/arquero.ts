/**
 * The pipeline in Arquero (dataframes in JavaScript): the same two queries as verbs. Arquero reads no Parquet, so
 * it loads the Arrow IPC file Polars writes from DuckDB's Parquet.
 */
import { readFileSync } from 'node:fs';
import * as aq from 'arquero';
import type { DailyRevenue, UserFeatures } from '../src/index.js';

const { op } = aq;
const DAY_MS = 86_400_000;

export function readEvents(arrowIpc: string): aq.ColumnTable {
  return aq.fromArrow(readFileSync(arrowIpc));
}

export function arqueroUserFeatures(events: aq.ColumnTable, cutoffMs: number): UserFeatures[] {
  const window = { cutoff: cutoffMs, end: cutoffMs + 7 * DAY_MS };
  const perUser = events
    .params(window)
    .filter((d: Row, $: typeof window) => +d.ts < $.cutoff)
    .groupby('user_id')
    .orderby('ts', 'event_id')
    // A user's first row has no previous one: lag's default 0 (1970) puts it more than 30 minutes back.
    .derive({ previous: (d: Row) => op.lag(d.ts, 1, 0) })
    .derive({
      new_session: (d: Row) => (+d.ts - +d.previous > 1_800_000 ? 1 : 0),
      click: (d: Row) => (d.event_type === 'click' ? 1 : 0),
      purchase: (d: Row) => (d.event_type === 'purchase' ? 1 : 0),
    })
    .rollup({
      events: op.count(),
      clicks: (d: Row) => op.sum(d.click),
      purchases: (d: Row) => op.sum(d.purchase),
      revenue: (d: Row) => op.sum(d.price),
      sessions: (d: Row) => op.sum(d.new_session),
      last_seen: (d: Row) => op.max(d.ts),
    });
  const buyers = events
    .params(window)
    .filter((d: Row, $: typeof window) => d.event_type === 'purchase' && +d.ts >= $.cutoff && +d.ts < $.end)
    .select('user_id')
    .dedupe()
    .derive({ bought_next_week: () => 1 });
  return perUser
    .join_left(buyers, 'user_id')
    .orderby('user_id')
    .objects()
    .map((r: Row) => ({
      user_id: Number(r.user_id),
      events: Number(r.events),
      clicks: Number(r.clicks),
      purchases: Number(r.purchases),
      revenue: Number(r.revenue ?? 0),
      sessions: Number(r.sessions),
      last_seen: +(r.last_seen as Date),
      bought_next_week: r.bought_next_week === undefined || r.bought_next_week === null ? 0 : 1,
    }));
}

export function arqueroDailyRevenue(events: aq.ColumnTable, cutoffMs: number): DailyRevenue[] {
  return events
    .params({ cutoff: cutoffMs })
    .filter((d: Row, $: { cutoff: number }) => d.event_type === 'purchase' && +d.ts < $.cutoff)
    .derive({ day: (d: Row) => op.substring(op.format_utcdate(d.ts), 0, 10) })
    .groupby('day')
    .rollup({ purchases: op.count(), revenue: (d: Row) => op.sum(d.price) })
    .orderby('day')
    .derive({
      running_revenue: aq.rolling((d: Row) => op.sum(d.revenue)),
      previous_revenue: (d: Row) => op.lag(d.revenue, 1),
    })
    .objects()
    .map((r: Row) => ({
      day: String(r.day),
      purchases: Number(r.purchases),
      revenue: Number(r.revenue),
      running_revenue: Number(r.running_revenue),
      previous_revenue:
        r.previous_revenue === undefined || r.previous_revenue === null ? null : Number(r.previous_revenue),
    }));
}

// biome-ignore lint/suspicious/noExplicitAny: Arquero's table expressions see rows as untyped records
type Row = Record<string, any>;
