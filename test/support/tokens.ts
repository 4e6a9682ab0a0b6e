// Signs in through the local dev identity provider, as a client app would.
export interface TokenRequest {
  sub: string;
  name?: string;
  roles?: string[];
}

export async function tokenFor(origin: string, request: TokenRequest): Promise<string> {
  const res = await fetch(`${origin}/.identity/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ roles: ['customer'], ...request }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
