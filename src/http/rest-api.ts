import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { registerAccountRoutes } from './api/account-routes.ts';
import { registerAppleProfileRoute } from './api/apple-profile.ts';
import { createAuthenticationHook, sessionCookie } from './api/authenticate.ts';
import { registerCalendarFeedRoutes } from './api/calendar-feed-routes.ts';
import { registerCalendarRoutes } from './api/calendar-routes.ts';
import { registerChangeStream } from './api/change-stream.ts';
import { registerEventRoutes } from './api/events.ts';
import { registerImportRoute } from './api/import-route.ts';
import { registerInvitationRoutes } from './api/invitation-routes.ts';
import { registerShareRoutes } from './api/share-routes.ts';
import { registerTaskRoutes } from './api/task-routes.ts';
import { registerLoginLinkRoute, registerWidgetAuthRoutes } from './auth-routes.ts';
import { registerCalendarFeedRoute } from './calendar-feed.ts';
import { registerApiReference } from './plugins/openapi.ts';
import { createSameOriginCheck } from './plugins/same-origin.ts';
import { noStoreForSignedIn } from './plugins/security-headers.ts';
import type { TypedApp } from './typed-app.ts';
import { registerWebApp } from './web-app.ts';

export interface RestDeps {
  services: AppServices;
  config: Config;
  /** The address people open (PUBLIC_URL or the listen address), for CalDAV URLs in responses. */
  publicBaseUrl: string;
}

/**
 * Everything under /api: the same-origin check for cookie-borne changes (cheap, before any
 * database work), authentication, then each resource.
 */
export async function registerRestApi(api: TypedApp, deps: RestDeps): Promise<void> {
  api.addHook('onRequest', createSameOriginCheck({ publicUrl: deps.config.PUBLIC_URL, sessionCookie }));
  api.addHook('onRequest', createAuthenticationHook(deps));
  api.addHook('onSend', noStoreForSignedIn);
  await registerWidgetAuthRoutes(api, deps.services, deps.config);
  await registerAccountRoutes(api, deps.services, deps);
  await registerCalendarRoutes(api, deps.services, deps);
  await registerCalendarFeedRoutes(api, deps.services, deps);
  await registerShareRoutes(api, deps.services);
  await registerInvitationRoutes(api, deps.services);
  await registerAppleProfileRoute(api, deps);
  await registerEventRoutes(api, deps.services);
  await registerTaskRoutes(api, deps.services);
  await registerImportRoute(api, deps.services);
  await registerChangeStream(api, deps.services);
  await registerApiReference(api);
}

/** Routes outside /api: one-time login links, calendar feeds and the web app. */
export async function registerBrowserRoutes(app: TypedApp, deps: RestDeps): Promise<void> {
  await registerLoginLinkRoute(app, deps.services, deps.config);
  await registerCalendarFeedRoute(app, deps.services);
  await registerWebApp(app);
}
