/** The columnar loop's input for the bench: the Arrow IPC file read with flechette as typed arrays. */
import { readFileSync } from 'node:fs';
import { tableFromIPC } from '@uwdata/flechette';
import type { EventColumns } from '../src/index.js';

export function readColumns(arrowIpc: string): EventColumns {
  const table = tableFromIPC(readFileSync(arrowIpc), { useDate: false, useBigInt: false });
  const column = <T>(name: string) => table.getChild(name).toArray() as unknown as ArrayLike<T>;
  return {
    eventId: column('event_id'),
    userId: column('user_id'),
    eventType: column('event_type'),
    ts: column('ts'),
    price: column('price'),
  };
}
