import helmet from '@fastify/helmet';
import type { FastifyInstance, onSendHookHandler } from 'fastify';

/** Telegram's web clients (web.telegram.org/k and /a) embed Mini Apps in an iframe. */
export const telegramFrameAncestors = ['https://web.telegram.org', 'https://*.telegram.org'] as const;

/**
 * Helmet with a Content-Security-Policy for the same-origin React app (web/): every script, style,
 * font and image comes from this server. The Mini App talks to Telegram through web events rather
 * than telegram-web-app.js, and the Login Widget is used in its redirect mode (a link to
 * oauth.telegram.org), so no Telegram origin needs to be trusted here; Telegram's web clients may
 * frame the app.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { publicUrl: string | undefined },
): Promise<void> {
  const https = options.publicUrl?.startsWith('https:') ?? false;
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        // React and FullCalendar set style attributes at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", ...telegramFrameAncestors],
        // Upgrading requests would break a plain-http development server.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    // CSP frame-ancestors replaces X-Frame-Options, which cannot name the Telegram origins at all;
    // sending SAMEORIGIN too would make older WebViews refuse to show the Mini App.
    xFrameOptions: false,
    // Browsers ignore HSTS on plain http; a development server on http should not send it at all.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}

/**
 * `Cache-Control: no-store` on every answer to a signed-in user and on every answer that sets or
 * clears a cookie: personal JSON must not be kept by a shared cache or the browser's disk cache
 * (RFC 9111 §5.2.2.5). An onSend hook, so errors and 429s to signed-in users get it too.
 */
export const noStoreForSignedIn: onSendHookHandler = (request, reply, payload, done) => {
  if (request.userId !== undefined || reply.hasHeader('set-cookie'))
    reply.header('cache-control', 'no-store');
  done(null, payload);
};
