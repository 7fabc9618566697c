/** Import-direction rules: doors → app → domain; app → storage; nothing imports a door or main. */
const doors = '^src/(caldav|http|bot|worker|cli)/';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure calendar rules and imports nothing else from src/',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'doors-do-not-import-each-other',
      severity: 'error',
      from: { path: '^src/(caldav|http|bot|worker|cli)/' },
      to: { path: doors, pathNot: '^src/$1/' },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      from: {},
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'storage-does-not-import-app-or-doors',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: '^src/(app|caldav|http|bot|worker|cli)/' },
    },
    {
      name: 'doors-never-import-storage',
      comment:
        'a door calls app/ and receives app view types; storage rows and queries stay behind app/ (main.ts wires ports such as the health check and the job wake-up)',
      severity: 'error',
      from: { path: doors },
      to: { path: '^src/storage/' },
    },
    {
      name: 'production-code-does-not-import-tests',
      comment: 'test fixtures, emulators and harnesses never ship: only test files may import test/',
      severity: 'error',
      from: { path: '^(src|web)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^test/' },
    },
    {
      name: 'app-does-not-import-doors',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: doors },
    },
    {
      name: 'telegram-kit-is-no-door',
      comment:
        'telegram/ is what the bot and the worker both say: it may use app/ view types and domain/, never a door or storage/',
      severity: 'error',
      from: { path: '^src/telegram/' },
      to: { path: '^src/(caldav|http|bot|worker|cli|storage)/' },
    },
    {
      name: 'icaljs-only-in-domain',
      comment: 'iCalendar rules live in domain/: every other room works with its models, never with ical.js',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/domain/' },
      to: { path: 'node_modules/ical\\.js/' },
    },
    {
      name: 'database-libraries-only-in-storage',
      comment:
        'only storage/ talks to the database: everyone else gets its handle types and functions from there',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/storage/' },
      to: { path: 'node_modules/(pg|kysely|@electric-sql/pglite)/' },
    },
    {
      name: 'grammy-only-in-telegram-code',
      comment:
        'grammY lives in the bot door and the Telegram kit (src/telegram/, which the worker sends through)',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(bot|telegram)/' },
      to: { path: 'node_modules/(grammy|@grammyjs)/' },
    },
    {
      name: 'fastify-only-in-http-doors',
      comment: 'Fastify serves the HTTP doors (http/, caldav/); tracing hands them its request plugin',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http|caldav)/|^src/observability/tracing\\.ts$' },
      to: { path: 'node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'web-talks-http-only',
      comment: 'the web app (web/) reaches the server over HTTP (/api) only: it imports nothing from src/',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
