import type { TypedApp } from './typed-app.ts';

// The signed-in landing page the login link leads to. The full Mini App (Vite + React) replaces
// it in its own issue; this page already shows who is signed in and the calendar's next week,
// through the same /api the Mini App will use.

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Televent</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; }
li { margin: .25rem 0; } .muted { color: #666; }
</style>
</head>
<body>
<h1>Televent</h1>
<p id="who" class="muted">Loading…</p>
<h2>Next 7 days</h2>
<ul id="events"></ul>
<script src="/app/app.js" defer></script>
</body>
</html>
`;

const script = `(async () => {
  const who = document.getElementById('who');
  const list = document.getElementById('events');
  const me = await fetch('/api/me', { credentials: 'same-origin' });
  if (!me.ok) { who.textContent = 'You are not signed in. Send /web to the Televent bot for a login link.'; return; }
  const user = await me.json();
  who.textContent = 'Signed in as ' + (user.username ? '@' + user.username : user.telegramId) +
    ' (time zone ' + (user.timezone || 'not set') + ').';
  const start = new Date(); const end = new Date(start.getTime() + 7 * 86400000);
  const res = await fetch('/api/events?start=' + start.toISOString() + '&end=' + end.toISOString());
  const body = await res.json();
  if (body.occurrences.length === 0) { list.innerHTML = '<li class="muted">Nothing planned.</li>'; return; }
  for (const o of body.occurrences) {
    const li = document.createElement('li');
    li.textContent = (o.allDay ? o.start + ' (all day)' : new Date(o.start).toLocaleString()) + ' — ' + (o.summary || '(no title)');
    list.appendChild(li);
  }
})();
`;

export async function registerWebApp(app: TypedApp): Promise<void> {
  app.get('/app', async (_request, reply) => reply.redirect('/app/', 301));
  app.get('/app/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/app/app.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
}
