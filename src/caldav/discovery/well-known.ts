/**
 * RFC 6764 §5: /.well-known/caldav redirects to the context path. The whole tree is served at the
 * root, so the target is `/`; a 301 is what macOS and DAVx5 follow
 * (docs/caldav-client-quirks.md#discovery-at-the-root).
 */
export const wellKnownPath = '/.well-known/caldav';
export const wellKnownTarget = '/';
