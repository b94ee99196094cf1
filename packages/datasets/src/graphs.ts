import { join } from 'node:path';
import { UndirectedGraph } from 'graphology';
import { karateClub } from 'graphology-generators/social/index.js';
import { DatasetError } from './errors.js';
import { expectCount, finiteNumber, packageDir, readCsv } from './files.js';

/** A graph over nodes 0..nodes-1, edges as index pairs. */
export interface EdgeListGraph {
  readonly name: string;
  readonly directed: boolean;
  readonly nodeNames: readonly string[];
  readonly edges: readonly { readonly source: number; readonly target: number; readonly weight: number }[];
}

export interface KarateClubGraph extends EdgeListGraph {
  /** The faction each member joined after the split (Zachary, 1977). */
  readonly club: readonly ('Mr. Hi' | 'Officer')[];
}

/** Zachary's karate club: 34 members, 78 undirected friendships, two factions. */
export function loadKarateClub(): KarateClubGraph {
  const graph = karateClub(UndirectedGraph);
  expectCount('karate-club', 'members', graph.order, 34);
  expectCount('karate-club', 'friendships', graph.size, 78);
  const nodeNames = graph.nodes();
  const index = new Map(nodeNames.map((n, i) => [n, i]));
  const edges = graph.mapEdges((_edge, _attributes, source, target) => ({
    source: index.get(source)!,
    target: index.get(target)!,
    weight: 1,
  }));
  const club = nodeNames.map((n) => graph.getNodeAttribute(n, 'club') as 'Mr. Hi' | 'Officer');
  return { name: 'karate-club', directed: false, nodeNames, edges, club };
}

/** US airports and the flights between them (vega-datasets): 305 airports, 5,366 directed routes, weight = flights. */
export function loadFlightsAirport(
  file = join(packageDir('vega-datasets'), 'data', 'flights-airport.csv'),
): EdgeListGraph {
  const expected = 'CSV with origin, destination, count; 5,366 routes';
  const rows = readCsv('flights-airport', file, ['origin', 'destination', 'count'], expected);
  expectCount('flights-airport', `routes in ${file}`, rows.length, 5366);
  const nodeNames = [...new Set(rows.flatMap((r) => [r.origin ?? '', r.destination ?? '']))].sort();
  const index = new Map(nodeNames.map((n, i) => [n, i]));
  const edges = rows.map((row, r) => {
    for (const column of ['origin', 'destination'] as const) {
      if (!/^[A-Z0-9]{3}$/.test(row[column] ?? '')) {
        throw new DatasetError(
          'flights-airport',
          `row ${r} ${column} is ${JSON.stringify(row[column])}, expected an IATA code`,
        );
      }
    }
    const weight = finiteNumber('flights-airport', row.count, `row ${r} count`);
    if (!Number.isInteger(weight) || weight < 1) {
      throw new DatasetError('flights-airport', `row ${r} count is ${weight}, expected a positive integer`);
    }
    return { source: index.get(row.origin!)!, target: index.get(row.destination!)!, weight };
  });
  expectCount('flights-airport', 'airports', nodeNames.length, 305);
  return { name: 'flights-airport', directed: true, nodeNames, edges };
}
