import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { publicBaseUrl, publicUrlIsGuessed } from './public-url.ts';

describe('publicBaseUrl', () => {
  it('uses PUBLIC_URL without its trailing slash when it is set', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://cal.example.org/', API_HOST: '0.0.0.0' });
    expect(publicBaseUrl(config)).toBe('https://cal.example.org');
    expect(publicUrlIsGuessed(config)).toBe(false);
  });

  it('never hands out 0.0.0.0: listening on all interfaces gives 127.0.0.1 and asks for PUBLIC_URL', () => {
    const config = loadConfig({ API_HOST: '0.0.0.0', API_PORT: '3000' });
    expect(publicBaseUrl(config)).toBe('http://127.0.0.1:3000');
    expect(publicUrlIsGuessed(config)).toBe(true);
    expect(publicBaseUrl(loadConfig({ API_HOST: '::', API_PORT: '8080' }))).toBe('http://127.0.0.1:8080');
  });

  it('uses the listen address as it is otherwise, bracketing IPv6', () => {
    expect(publicBaseUrl(loadConfig({ API_HOST: 'calendar.lan', API_PORT: '8080' }))).toBe(
      'http://calendar.lan:8080',
    );
    expect(publicBaseUrl(loadConfig({ API_HOST: '::1' }))).toBe('http://[::1]:3000');
    expect(publicUrlIsGuessed(loadConfig({}))).toBe(false);
  });
});
