// Partner webhook endpoints in Cosmos DB (container `partner-endpoints`, partition key /id): a handful
// of small documents, read whole by the dispatcher (which keeps the list for a couple of seconds).
import type { PartnerEndpoint } from '../../partners/model.js';
import type { EndpointStore } from '../../partners/ports.js';
import type { Cosmos } from './client.js';
import { conditionalReplace } from './conditional-replace.js';
import { cosmosStatusOf, queryDocs, readDoc } from './documents.js';

export function cosmosEndpointStore(cosmos: Cosmos): EndpointStore {
  const container = cosmos.container('partner-endpoints');
  return {
    async create(endpoint) {
      await container.items.create(endpoint);
    },
    async get(id) {
      return (await readDoc<PartnerEndpoint>(container, id, id))?.doc;
    },
    list(partnerId) {
      return partnerId
        ? queryDocs<PartnerEndpoint>(container, 'SELECT * FROM c WHERE c.partnerId = @p ORDER BY c.createdAt', [
            { name: '@p', value: partnerId },
          ])
        : queryDocs<PartnerEndpoint>(container, 'SELECT * FROM c ORDER BY c.createdAt', []);
    },
    async mutate(id, fn) {
      return (await conditionalReplace<PartnerEndpoint>(container, id, id, fn))?.doc;
    },
    async remove(id) {
      try {
        await container.item(id, id).delete();
        return true;
      } catch (err) {
        if (cosmosStatusOf(err) === 404) return false;
        throw err;
      }
    },
  };
}
