import { readFileSync } from 'node:fs';
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import { packageRoot } from '../package-root.ts';

/**
 * The one message catalogue of everything the bot and the worker say, in Fluent (.ftl, one file
 * per language in ./locales). @fluent/bundle is used directly rather than @grammyjs/i18n: the
 * worker has no grammY context and needs a plain `translate(language, key, args)`, and the
 * language comes from the user row (their /settings choice, else Telegram's language_code), not
 * from a session the plugin would negotiate.
 */
export const languages = ['en', 'ru'] as const;
export type Language = (typeof languages)[number];

export type MessageArgs = Record<string, FluentVariable>;
/** A translator bound to one language: `t('saved', { title })`. */
export type Translate = (key: string, args?: MessageArgs) => string;

function loadBundle(language: Language): FluentBundle {
  // useIsolating off: Telegram shows the Unicode isolation marks Fluent would wrap arguments in.
  const bundle = new FluentBundle(language, { useIsolating: false });
  const source = readFileSync(`${packageRoot}/src/telegram/locales/${language}.ftl`, 'utf8');
  const errors = bundle.addResource(new FluentResource(source));
  if (errors.length > 0) throw new Error(`locales/${language}.ftl: ${errors.map(String).join('; ')}`);
  return bundle;
}

const bundles: Record<Language, FluentBundle> = { en: loadBundle('en'), ru: loadBundle('ru') };

/** The keys of a language's catalogue (for the test that both languages say everything). */
export function catalogueKeys(language: Language): string[] {
  const source = readFileSync(`${packageRoot}/src/telegram/locales/${language}.ftl`, 'utf8');
  return [...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] ?? '');
}

/** A message in `language`; English when that catalogue lacks it, the key itself as a last resort. */
export function translate(language: Language, key: string, args?: MessageArgs): string {
  for (const bundle of [bundles[language], bundles.en]) {
    const message = bundle.getMessage(key);
    if (message?.value) return bundle.formatPattern(message.value, args ?? null);
  }
  return key;
}

export function translator(language: Language): Translate {
  return (key, args) => translate(language, key, args);
}

/**
 * The language to speak: the user's own choice when they made one, else Russian for a Telegram
 * language_code starting with "ru", else English.
 */
export function languageFor(
  chosen: string | null | undefined,
  telegramCode: string | null | undefined,
): Language {
  if (chosen === 'en' || chosen === 'ru') return chosen;
  return telegramCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** The BCP 47 locale for Intl formatting in a language (en-GB: day before month, 24-hour clock). */
export function intlLocaleOf(language: Language): string {
  return language === 'ru' ? 'ru-RU' : 'en-GB';
}
