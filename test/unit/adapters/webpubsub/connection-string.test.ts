// The Web PubSub adapter reads the connection string itself (to hand the SDK a KeyObject key):
// it must name the same service URL the SDK builds, and say which part is missing.
import { describe, expect, it } from 'vitest';
import { endpointOf, serviceUrlOf } from '../../../../shared/adapters/webpubsub/client.js';

describe('Web PubSub connection strings', () => {
  it('builds the service URL like the SDK: endpoint plus Port, keys in any case, https by default', () => {
    expect(serviceUrlOf('Endpoint=http://localhost;Port=7072;AccessKey=k;Version=1.0;')).toBe('http://localhost:7072/');
    expect(serviceUrlOf('endpoint=https://svc.webpubsub.azure.com;accesskey=k;version=1.0;')).toBe(
      'https://svc.webpubsub.azure.com/',
    );
    expect(serviceUrlOf('Endpoint=svc.example;AccessKey=k')).toBe('https://svc.example/');
    expect(endpointOf('Endpoint=http://localhost;Port=7072;AccessKey=k').port).toBe('');
  });

  it('refuses a connection string without an endpoint', () => {
    expect(() => serviceUrlOf('AccessKey=k;Version=1.0;')).toThrow(/no Endpoint/);
  });
});
