import { DAVClient } from 'tsdav';

/** A tsdav client for one user of the test server, signing in with Basic auth and a device password. */
export function tsdavClient(baseUrl: string, userId: number, password: string): DAVClient {
  return new DAVClient({
    serverUrl: `${baseUrl}/`,
    credentials: { username: String(userId), password },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
  });
}
