/**
 * On load, with the built-in service: records written before reservations were bound hold the
 * built-in service's absolute loopback URIs on the port it had then (issue 13 item 8). They are
 * rewritten as paths on the built-in service, so nothing can send to the old port any more; the
 * upload start asks the service whether it still knows each one before using it.
 */
import { migrateLegacyBuiltIn } from '../../app/service/reservation-binding';
import type { Logger } from '../util/logger';
import type { ClipLedger } from '../ledger/clip-ledger';

export async function migrateBuiltInReservations(
  ledger: ClipLedger,
  logger: Logger,
): Promise<number> {
  let migrated = 0;
  for (const record of ledger.all()) {
    const reservation = record.reservation && migrateLegacyBuiltIn(record.reservation);
    if (!reservation) continue;
    await ledger.put({ ...record, reservation });
    migrated++;
  }
  if (migrated > 0)
    logger.info('ledger: built-in service reservations rebased off their old port', { migrated });
  return migrated;
}
