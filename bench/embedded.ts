import { createAccount } from '../src/store/accounts.js';
import { openDatabase } from '../src/store/database.js';
import { createDataset, type DatasetSize } from './dataset.js';

/**
 * The benchmark's data in an embedded (PGlite) data directory, for a gateway started on it the way
 * `npm start` starts one without DATABASE_URL. The database is closed again before returning: an
 * embedded database belongs to one process, and the gateway is another.
 */
export async function createEmbeddedDataset(dataDir: string, size: DatasetSize) {
  const database = await openDatabase({ dataDir });
  try {
    const account = await createAccount(database.prisma, 'Bench');
    await createDataset(database.prisma, account.accountSid, size);
    return account;
  } finally {
    await database.close();
  }
}
