import { describe, expect, it } from 'vitest';
import { miniAppEventUrl, miniAppUrl } from './mini-app.ts';

describe('miniAppUrl', () => {
  it('is /app/ under an https PUBLIC_URL', () => {
    expect(miniAppUrl('https://cal.example.org')).toBe('https://cal.example.org/app/');
    expect(miniAppUrl('https://cal.example.org/')).toBe('https://cal.example.org/app/');
  });

  it('is null without https: Telegram opens no http Web App', () => {
    expect(miniAppUrl(undefined)).toBeNull();
    expect(miniAppUrl('http://calendar.test:8080')).toBeNull();
  });

  it('names one occurrence in the query string, leaving the hash to Telegram', () => {
    const url = new URL(
      miniAppEventUrl('https://cal.example.org/app/', 'ev-1', new Date('2030-05-13T00:00:00Z')),
    );
    expect(url.pathname).toBe('/app/');
    expect(url.searchParams.get('event')).toBe('ev-1');
    expect(url.searchParams.get('at')).toBe('2030-05-13T00:00:00.000Z');
    expect(url.hash).toBe('');
  });
});
