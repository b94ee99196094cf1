/** A rank of a timing job over TCP: times ring all-reduces of the lengths in TIMING ({ lengths, repeats }). */
import { runRank } from './launch.js';
import { timeAllReduces } from './timing.js';

const { lengths, repeats } = JSON.parse(process.env.TIMING ?? '{}') as { lengths: number[]; repeats: number };
await runRank((group) => timeAllReduces(group.ring, lengths, repeats));
