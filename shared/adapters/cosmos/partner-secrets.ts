// The local signing-secret store: endpoint secrets as documents in the `partner-secrets` container,
// used only where there is no Key Vault (KEY_VAULT_URL unset, i.e. on a laptop under the local host;
// shared/services.ts chooses). In Azure the values live in Key Vault (../keyvault/signing-secrets.ts)
// and this container stays empty.
import type { SigningSecrets } from '../../partners/ports.js';
import type { Cosmos } from './client.js';
import { cosmosStatusOf, readDoc } from './documents.js';

export function cosmosSigningSecrets(cosmos: Cosmos): SigningSecrets {
  const container = cosmos.container('partner-secrets');
  return {
    async put(name, value) {
      await container.items.upsert({ id: name, value });
    },
    async get(name) {
      const found = await readDoc<{ value: string }>(container, name, name);
      if (!found) throw new Error(`signing secret ${name} is missing`);
      return found.doc.value;
    },
    async remove(name) {
      try {
        await container.item(name, name).delete();
      } catch (err) {
        if (cosmosStatusOf(err) !== 404) throw err;
      }
    },
  };
}
