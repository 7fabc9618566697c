import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createProcessLogger } from './logger.ts';
import { chooseLogFormat, formatLogLine } from './pretty-log.ts';

/** A stand-in for stdout that keeps what was written. */
function capture(isTTY: boolean): { text(): string; write(text: string): boolean; isTTY: boolean } {
  let written = '';
  return {
    isTTY,
    write(text: string) {
      written += text;
      return true;
    },
    text: () => written,
  };
}

describe('log format', () => {
  it('is readable on a terminal and JSON on a pipe, unless LOG_FORMAT says otherwise', () => {
    expect(chooseLogFormat(undefined, { write: () => true, isTTY: true })).toBe('pretty');
    expect(chooseLogFormat(undefined, { write: () => true })).toBe('json');
    expect(chooseLogFormat('json', { write: () => true, isTTY: true })).toBe('json');
    expect(chooseLogFormat('pretty', { write: () => true, isTTY: false })).toBe('pretty');
  });

  it('LOG_FORMAT takes json or pretty, empty is unset, anything else names the variable', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(loadConfig({ LOG_FORMAT: '' }).LOG_FORMAT).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });

  it('writes one JSON object per line when asked for JSON', () => {
    const out = capture(true);
    createProcessLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, out).child({ door: 'http' }).info('hello');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, door: 'http', msg: 'hello' });
  });

  it('writes a readable line with the door, the fields and the error stack below', () => {
    const out = capture(false);
    const logger = createProcessLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, out);
    logger
      .child({ door: 'worker' })
      .warn({ jobId: 7, kind: 'reminder send', err: new Error('boom') }, 'job failed');
    const [line = '', ...stack] = out.text().trimEnd().split('\n');
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[worker\] job failed jobId=7 kind="reminder send" err="Error: boom"$/,
    );
    expect(stack[0]).toMatch(/^\s+at /);
    expect(out.text()).not.toContain('\u001b[');
  });

  it('colours only a terminal, and not when NO_COLOR is set', () => {
    const terminal = capture(true);
    createProcessLogger({ LOG_LEVEL: 'info' }, terminal, {}).info('hello');
    expect(terminal.text()).toContain('\u001b[32mINFO');
    const noColor = capture(true);
    createProcessLogger({ LOG_LEVEL: 'info' }, noColor, { NO_COLOR: '1' }).info('hello');
    expect(noColor.text()).toMatch(/ INFO {2}hello\n$/);
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(formatLogLine('plain text', false)).toBe('plain text\n');
  });
});
