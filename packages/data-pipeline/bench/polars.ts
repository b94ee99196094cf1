/**
 * The pipeline in Polars (nodejs-polars): user_features.sql and daily_revenue.sql as dataframe expressions, read from
 * the Parquet file DuckDB wrote. Polars keeps timestamps in microseconds.
 */
import pl from 'nodejs-polars';
import type { DailyRevenue, UserFeatures } from '../src/index.js';

const MINUTE_US = 60_000_000;
const DAY_MS = 86_400_000;

export function readEvents(parquet: string): pl.DataFrame {
  return pl.readParquet(parquet);
}

export function polarsUserFeatures(events: pl.DataFrame, cutoffMs: number): UserFeatures[] {
  const cutoff = new Date(cutoffMs);
  const perUser = events
    .filter(pl.col('ts').lt(pl.lit(cutoff)))
    .sort(['user_id', 'ts', 'event_id'])
    .withColumns(pl.col('ts').cast(pl.Int64).alias('t'))
    .withColumns(pl.col('t').shift(1).over('user_id').alias('previous_t'))
    .groupBy('user_id')
    .agg(
      pl.len().alias('events'),
      pl.col('event_type').eq(pl.lit('click')).sum().alias('clicks'),
      pl.col('event_type').eq(pl.lit('purchase')).sum().alias('purchases'),
      pl.col('price').fillNull(0).sum().alias('revenue'),
      pl
        .when(
          pl
            .col('previous_t')
            .isNull()
            .or(
              pl
                .col('t')
                .minus(pl.col('previous_t'))
                .gt(30 * MINUTE_US),
            ),
        )
        .then(pl.lit(1))
        .otherwise(pl.lit(0))
        .sum()
        .alias('sessions'),
      pl.col('ts').max().alias('last_seen'),
    );
  const buyers = events
    .filter(
      pl
        .col('event_type')
        .eq(pl.lit('purchase'))
        .and(pl.col('ts').gtEq(pl.lit(cutoff)))
        .and(pl.col('ts').lt(pl.lit(new Date(cutoffMs + 7 * DAY_MS)))),
    )
    .select('user_id')
    .unique()
    .withColumns(pl.lit(1).alias('bought_next_week'));
  return perUser
    .join(buyers, { on: 'user_id', how: 'left' })
    .withColumns(pl.col('bought_next_week').fillNull(0))
    .sort('user_id')
    .toRecords()
    .map((r) => ({
      user_id: Number(r.user_id),
      events: Number(r.events),
      clicks: Number(r.clicks),
      purchases: Number(r.purchases),
      revenue: Number(r.revenue),
      sessions: Number(r.sessions),
      last_seen: (r.last_seen as unknown as Date).getTime(),
      bought_next_week: Number(r.bought_next_week),
    }));
}

export function polarsDailyRevenue(events: pl.DataFrame, cutoffMs: number): DailyRevenue[] {
  return events
    .filter(
      pl
        .col('event_type')
        .eq(pl.lit('purchase'))
        .and(pl.col('ts').lt(pl.lit(new Date(cutoffMs)))),
    )
    .withColumns(pl.col('ts').cast(pl.Date).alias('day'))
    .groupBy('day')
    .agg(pl.len().alias('purchases'), pl.col('price').sum().alias('revenue'))
    .sort('day')
    .withColumns(
      pl.col('revenue').cumSum().alias('running_revenue'),
      pl.col('revenue').shift(1).alias('previous_revenue'),
    )
    .toRecords()
    .map((r) => ({
      day: (r.day as unknown as Date).toISOString().slice(0, 10),
      purchases: Number(r.purchases),
      revenue: Number(r.revenue),
      running_revenue: Number(r.running_revenue),
      previous_revenue: r.previous_revenue === null ? null : Number(r.previous_revenue),
    }));
}
