import type { AppServices } from '../app/services.ts';
import type { Config } from '../config.ts';
import { registerAccountRoutes } from './api/account-routes.ts';
import { createAuthenticationHook } from './api/authenticate.ts';
import { registerEventRoutes } from './api/events.ts';
import { registerLoginLinkRoute, registerWidgetAuthRoutes } from './auth-routes.ts';
import type { TypedApp } from './typed-app.ts';
import { registerWebApp } from './web-app.ts';

export interface RestDeps {
  services: AppServices;
  config: Config;
  /** The address people open (PUBLIC_URL or the listen address), for CalDAV URLs in responses. */
  publicBaseUrl: string;
}

/** Everything under /api: authentication first, then each resource. */
export async function registerRestApi(api: TypedApp, deps: RestDeps): Promise<void> {
  api.addHook('onRequest', createAuthenticationHook(deps));
  await registerWidgetAuthRoutes(api, deps.services, deps.config);
  await registerAccountRoutes(api, deps.services, deps);
  await registerEventRoutes(api, deps.services);
}

/** Browser routes outside /api: one-time login links and the web app. */
export async function registerBrowserRoutes(app: TypedApp, deps: RestDeps): Promise<void> {
  await registerLoginLinkRoute(app, deps.services, deps.config);
  await registerWebApp(app);
}
