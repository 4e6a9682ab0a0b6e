// The environment of a benchmark's own local host: every port picked by the OS, and its own
// Azurite and Cosmos server as children (like `npm start`), so runs never collide with anything.
export function standaloneHostEnv(): Record<string, string | undefined> {
  return {
    ...process.env,
    MARQUEE_PORT: '0', MARQUEE_WEBPUBSUB_PORT: '0', MARQUEE_COSMOS_PORT: '0',
    MARQUEE_AZURITE_BLOB_PORT: '0', MARQUEE_AZURITE_QUEUE_PORT: '0', MARQUEE_AZURITE_TABLE_PORT: '0',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true', COSMOS_ENDPOINT: undefined,
    MARQUEE_LOG_LEVEL: 'warning',
  };
}
