// One cheap, authenticated call to the Table service of the Functions host's storage account
// (AzureWebJobsStorage): "Query Tables" with $top=1. A plain signed request instead of an SDK, so
// the app ships no storage SDK just to say the account answers. Accepts the forms the Functions
// host accepts: "UseDevelopmentStorage=true" (Azurite's well-known account), a connection string
// with AccountKey (Shared Key Lite) or SharedAccessSignature, and identity-based connections
// (AzureWebJobsStorage__accountName → a bearer token from DefaultAzureCredential).
import { createHmac } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import { defaultAzureCredential } from '../sdks.js';

/** Azurite's documented development account; public, not a secret. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type StorageAuth =
  { kind: 'key'; key: string } | { kind: 'sas'; sas: string } | { kind: 'identity'; credential: TokenCredential };

export interface TableEndpoint {
  account: string;
  /** e.g. https://acct.table.core.windows.net or http://127.0.0.1:10002/devstoreaccount1 */
  url: string;
  auth: StorageAuth;
}

export function tableEndpoint(settings: { connectionString?: string; accountName?: string }): TableEndpoint {
  if (settings.connectionString) return fromConnectionString(settings.connectionString);
  if (settings.accountName) {
    return {
      account: settings.accountName,
      url: `https://${settings.accountName}.table.core.windows.net`,
      auth: { kind: 'identity', credential: defaultAzureCredential() },
    };
  }
  throw new Error('AzureWebJobsStorage is not set');
}

function fromConnectionString(cs: string): TableEndpoint {
  const parts = new Map<string, string>();
  for (const pair of cs.split(';')) {
    const i = pair.indexOf('=');
    if (i > 0) parts.set(pair.slice(0, i).trim().toLowerCase(), pair.slice(i + 1).trim());
  }
  if (parts.get('usedevelopmentstorage') === 'true') {
    return { account: DEV_ACCOUNT, url: `http://127.0.0.1:10002/${DEV_ACCOUNT}`, auth: { kind: 'key', key: DEV_KEY } };
  }
  const account = parts.get('accountname');
  const explicit = parts.get('tableendpoint');
  const url =
    explicit ??
    (account
      ? `${parts.get('defaultendpointsprotocol') ?? 'https'}://${account}.table.${parts.get('endpointsuffix') ?? 'core.windows.net'}`
      : undefined);
  if (!url) throw new Error('AzureWebJobsStorage has neither TableEndpoint nor AccountName');
  const key = parts.get('accountkey');
  const sas = parts.get('sharedaccesssignature');
  const auth: StorageAuth | undefined = key
    ? { kind: 'key', key }
    : sas
      ? { kind: 'sas', sas: sas.replace(/^\?/, '') }
      : undefined;
  if (!auth) throw new Error('AzureWebJobsStorage has neither AccountKey nor SharedAccessSignature');
  return { account: account ?? new URL(url).hostname.split('.')[0]!, url: url.replace(/\/+$/, ''), auth };
}

/** Resolves when the Table service answers 2xx; rejects with the HTTP status otherwise. */
export async function pingTableService(endpoint: TableEndpoint, signal: AbortSignal): Promise<void> {
  const url = new URL(`${endpoint.url}/Tables`);
  url.searchParams.set('$top', '1');
  const date = new Date().toUTCString();
  const headers: Record<string, string> = {
    'x-ms-date': date,
    'x-ms-version': '2019-02-02',
    accept: 'application/json;odata=nometadata',
  };
  const auth = endpoint.auth;
  if (auth.kind === 'key') {
    // Shared Key Lite for the Table service: date and canonicalized resource ("/account" + path).
    const toSign = `${date}\n/${endpoint.account}${url.pathname}`;
    headers.authorization = `SharedKeyLite ${endpoint.account}:${createHmac('sha256', Buffer.from(auth.key, 'base64')).update(toSign, 'utf8').digest('base64')}`;
  } else if (auth.kind === 'sas') {
    for (const [k, v] of new URLSearchParams(auth.sas)) url.searchParams.set(k, v);
  } else {
    const token = await auth.credential.getToken('https://storage.azure.com/.default', { abortSignal: signal });
    if (!token) throw new Error('no token for the storage account');
    headers.authorization = `Bearer ${token.token}`;
  }
  const res = await fetch(url, { headers, signal });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}
