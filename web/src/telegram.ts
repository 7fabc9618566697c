// Talking to Telegram without telegram-web-app.js (everything the page loads comes from our own
// server): launch parameters are read from the URL hash, methods are posted as web events and
// events arrive through window.Telegram.WebView.receiveEvent or window messages.
// Protocol: https://core.telegram.org/api/web-events and https://core.telegram.org/api/bots/webapps

export interface ThemeParams {
  bg_color?: string;
  text_color?: string;
  hint_color?: string;
  link_color?: string;
  button_color?: string;
  button_text_color?: string;
  secondary_bg_color?: string;
  header_bg_color?: string;
  accent_text_color?: string;
  section_bg_color?: string;
  destructive_text_color?: string;
}

export interface LaunchParams {
  initData: string;
  version: string | undefined;
  platform: string | undefined;
  themeParams: ThemeParams;
  /** The user's Telegram language, read (unverified, for display only) from initData. */
  languageCode: string | undefined;
}

const storageKey = 'televent.launchParams';

function parseThemeParams(text: string | null): ThemeParams {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as ThemeParams) : {};
  } catch {
    return {};
  }
}

function languageOf(initData: string): string | undefined {
  try {
    const user: unknown = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null');
    const code = (user as { language_code?: unknown } | null)?.language_code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The launch parameters Telegram put in the URL hash (tgWebAppData and friends). They are kept in
 * sessionStorage because the hash is lost when the page reloads itself or navigates.
 */
export function readLaunchParams(hash: string = window.location.hash): LaunchParams | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const initData = params.get('tgWebAppData');
  if (initData) {
    const launch: LaunchParams = {
      initData,
      version: params.get('tgWebAppVersion') ?? undefined,
      platform: params.get('tgWebAppPlatform') ?? undefined,
      themeParams: parseThemeParams(params.get('tgWebAppThemeParams')),
      languageCode: languageOf(initData),
    };
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(launch));
    } catch {
      // Storage may be disabled; the hash is still there for this page.
    }
    return launch;
  }
  try {
    const stored = sessionStorage.getItem(storageKey);
    return stored ? (JSON.parse(stored) as LaunchParams) : undefined;
  } catch {
    return undefined;
  }
}

interface TelegramWindow {
  TelegramWebviewProxy?: { postEvent(eventType: string, eventData: string): void };
  external?: { notify?: (data: string) => void };
  Telegram?: { WebView?: { receiveEvent?: (eventType: string, eventData: unknown) => void } };
}

/** Sends one web event (a "method") to the Telegram client around us; a no-op outside Telegram. */
export function postEvent(eventType: string, eventData: Record<string, unknown> = {}): void {
  const w = window as unknown as TelegramWindow;
  try {
    if (w.TelegramWebviewProxy) {
      w.TelegramWebviewProxy.postEvent(eventType, JSON.stringify(eventData));
    } else if (typeof w.external?.notify === 'function') {
      w.external.notify(JSON.stringify({ eventType, eventData }));
    } else if (window.parent !== window) {
      // Telegram's web clients frame the Mini App; name their origin rather than '*'.
      window.parent.postMessage(JSON.stringify({ eventType, eventData }), 'https://web.telegram.org');
    }
  } catch {
    // Telegram is not around us (or refused the event): nothing to do.
  }
}

type Listener = (eventData: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

function dispatch(eventType: string, eventData: unknown): void {
  for (const listener of listeners.get(eventType) ?? []) listener(eventData);
}

/** Listens for one Telegram event (back_button_pressed, theme_changed…); returns the unsubscribe. */
export function onTelegramEvent(eventType: string, listener: Listener): () => void {
  const set = listeners.get(eventType) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(eventType, set);
  return () => set.delete(listener);
}

/** Installs the receivers native clients (receiveEvent) and web clients (postMessage) call. */
export function installTelegramBridge(): void {
  const w = window as unknown as TelegramWindow;
  w.Telegram = { ...w.Telegram, WebView: { ...w.Telegram?.WebView, receiveEvent: dispatch } };
  window.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    try {
      const message: unknown = JSON.parse(event.data);
      const { eventType, eventData } = message as { eventType?: unknown; eventData?: unknown };
      if (typeof eventType === 'string') dispatch(eventType, eventData);
    } catch {
      // Not a Telegram message.
    }
  });
}

const hexColour = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** WCAG 2.2 relative luminance of a #rgb or #rrggbb colour. */
function luminance(hex: string): number {
  const value = hex.replace('#', '');
  const full = value.length === 3 ? [...value].map((c) => c + c).join('') : value;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * Telegram's colour for text on a background, unless it is too faint to read (WCAG 2.2 §1.4.3,
 * 4.5:1; Telegram's own dark theme puts white on #8774e1, 3.7:1): then black or white, whichever
 * reads better.
 */
function readable(preferred: string | undefined, background: string): string {
  if (preferred && contrast(preferred, background) >= 4.5) return preferred;
  return contrast('#000000', background) >= contrast('#ffffff', background) ? '#000000' : '#ffffff';
}

/** Maps Telegram's theme parameters to our CSS variables (see styles.css). */
export function applyTheme(theme: ThemeParams): void {
  const valid = (value: string | undefined) => (value && hexColour.test(value) ? value : undefined);
  const bg = valid(theme.bg_color);
  const accent = valid(theme.button_color);
  const colours: [string, string | undefined][] = [
    ['--bg', bg],
    ['--bg-secondary', valid(theme.secondary_bg_color)],
    ['--bg-section', valid(theme.section_bg_color) ?? bg],
    ['--text', valid(theme.text_color)],
    ['--accent', accent],
    ['--accent-text', accent ? readable(valid(theme.button_text_color), accent) : undefined],
  ];
  if (bg) {
    colours.push(
      ['--hint', readable(valid(theme.hint_color), bg)],
      ['--link', readable(valid(theme.link_color), bg)],
      ['--danger', readable(valid(theme.destructive_text_color), bg)],
    );
  }
  const root = document.documentElement;
  for (const [variable, value] of colours) if (value) root.style.setProperty(variable, value);
  if (bg) root.dataset.scheme = luminance(bg) < 0.18 ? 'dark' : 'light';
}

/** Haptic feedback on save and delete (web_app_trigger_haptic_feedback, Bot API 6.1). */
export function haptic(kind: 'success' | 'warning' | 'error'): void {
  postEvent('web_app_trigger_haptic_feedback', { type: 'notification', notification_type: kind });
}

export function setBackButton(visible: boolean): void {
  postEvent('web_app_setup_back_button', { is_visible: visible });
}

/** Tells Telegram the page is ready and asks for the full height. */
export function announceReady(theme: ThemeParams): void {
  postEvent('web_app_ready');
  postEvent('web_app_expand');
  if (theme.bg_color) postEvent('web_app_set_background_color', { color: theme.bg_color });
}

/**
 * Telegram's MainButton (web_app_setup_main_button): shown with `text` while a form is open, hidden
 * with null. Presses arrive as `main_button_pressed` events.
 */
export function setMainButton(button: { text: string; busy?: boolean } | null): void {
  postEvent(
    'web_app_setup_main_button',
    button
      ? {
          is_visible: true,
          is_active: !button.busy,
          is_progress_visible: Boolean(button.busy),
          text: button.text,
        }
      : { is_visible: false },
  );
}
