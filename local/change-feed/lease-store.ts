// Leases live where Azure keeps them: in the lease container (`leaseContainerName`, default
// `leases`, partition key /id, in `leaseDatabaseName` or the monitored database, reached through
// `leaseConnection` or the trigger's connection). Keeping them next to the data they checkpoint
// means a fresh in-memory Cosmos server never meets a stale watermark left in a durable Azurite,
// and `createLeaseContainerIfNotExists` and `leaseContainerPrefix` keep their Azure meaning.
//
// One lease per function (Azure keeps one per feed range; the embedded server has one range). Its
// id is `<leaseContainerPrefix><MARQUEE_LEASE_PREFIX>.<database>.<container>.<function>`, so
// functions sharing a lease container never share a lease, and test hosts vary MARQUEE_LEASE_PREFIX.
import type { Container, CosmosClient } from '@azure/cosmos';
import type { Watermark } from './change-tracker.js';

export interface LeaseDocument extends Watermark {
  id: string;
  functionName: string;
  monitored: string;
  owner: string;
  checkpointedAt: string;
}

export class LeaseContainerMissingError extends Error {
  override name = 'LeaseContainerMissingError';
}

export class LeaseStore {
  private container: Container | undefined;

  constructor(
    private readonly client: CosmosClient,
    private readonly databaseName: string,
    private readonly containerName: string,
    private readonly createIfMissing: boolean,
    readonly leaseId: string,
  ) {}

  static leaseId(
    leaseContainerPrefix: string,
    hostPrefix: string,
    database: string,
    container: string,
    functionName: string,
  ): string {
    // Cosmos ids may not contain / \ ? #.
    return `${leaseContainerPrefix}${hostPrefix}.${database}.${container}.${functionName}`.replace(/[/\\?#]/g, '_');
  }

  private async open(): Promise<Container> {
    if (this.container) return this.container;
    if (this.createIfMissing) {
      const { database } = await this.client.databases.createIfNotExists({ id: this.databaseName });
      const { container } = await database.containers.createIfNotExists({
        id: this.containerName,
        partitionKey: { paths: ['/id'] },
      });
      return (this.container = container);
    }
    const container = this.client.database(this.databaseName).container(this.containerName);
    try {
      await container.read();
    } catch (err) {
      if ((err as { code?: number }).code === 404) {
        throw new LeaseContainerMissingError(
          `lease container "${this.containerName}" in database "${this.databaseName}" does not exist (create it, or set createLeaseContainerIfNotExists: true)`,
        );
      }
      throw err;
    }
    return (this.container = container);
  }

  async read(): Promise<LeaseDocument | undefined> {
    const container = await this.open();
    try {
      const { resource } = await container.item(this.leaseId, this.leaseId).read<LeaseDocument>();
      return resource ?? undefined;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  async checkpoint(lease: LeaseDocument): Promise<void> {
    const container = await this.open();
    await container.items.upsert({ ...lease, checkpointedAt: new Date().toISOString() });
  }
}
