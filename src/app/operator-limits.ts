/**
 * The most users one `televent user list` page returns (the operator pages on with --offset).
 * Its own module so the CLI can bound --limit while parsing, without loading the service's
 * database code (`televent --help` stays fast).
 */
export const maxUserPage = 1000;
