// `npm run bench:xml [-- --n 5000]`: serialises the same 207 Multi-Status bodies with the CalDAV
// door's writer (src/caldav/xml/build-xml.ts) and with xmlbuilder2, checks both parse to the same
// document, and prints the median time per body. It is the measured reason the door does not use
// xmlbuilder2 for output (README, "Dependency choices").
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { create } from 'xmlbuilder2';
import { el, serializeXml, type XmlNode } from '../src/caldav/xml/build-xml.ts';
import { CALDAV, DAV, ns } from '../src/caldav/xml/names.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' } } });
const n = Number(values.n);
const rounds = 15;

interface Member {
  href: string;
  etag: string;
  calendarData?: string;
}

function icalendar(i: number): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//bench//EN',
    'BEGIN:VEVENT',
    `UID:event-${i}@bench`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;TZID=Europe/Berlin:202606${String((i % 28) + 1).padStart(2, '0')}T100000`,
    'DURATION:PT1H',
    `SUMMARY:Meeting <${i}> & notes`,
    'DESCRIPTION:Agenda: review & plan',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function members(withData: boolean): Member[] {
  return Array.from({ length: n }, (_, i) => ({
    href: `/calendars/1001/default/event-${i}%40bench.ics`,
    etag: `"${i.toString(16).padStart(32, '0')}"`,
    ...(withData ? { calendarData: icalendar(i) } : {}),
  }));
}

function withOwnWriter(list: readonly Member[]): string {
  const responses: XmlNode[] = list.map((m) =>
    el(DAV.response, [
      el(DAV.href, m.href),
      el(DAV.propstat, [
        el(DAV.prop, [
          el(DAV.getetag, m.etag),
          m.calendarData === undefined
            ? el(DAV.getcontenttype, 'text/calendar; charset=utf-8')
            : el(CALDAV.calendarData, m.calendarData),
        ]),
        el(DAV.status, 'HTTP/1.1 200 OK'),
      ]),
    ]),
  );
  return serializeXml(el(DAV.multistatus, responses));
}

function withXmlbuilder2(list: readonly Member[]): string {
  const withData = list.some((m) => m.calendarData !== undefined);
  const root = create({ version: '1.0', encoding: 'utf-8' }).ele(
    ns.dav,
    'd:multistatus',
    withData ? { 'xmlns:cal': ns.caldav } : {},
  );
  for (const m of list) {
    const prop = root
      .ele(ns.dav, 'd:response')
      .ele(ns.dav, 'd:href')
      .txt(m.href)
      .up()
      .ele(ns.dav, 'd:propstat')
      .ele(ns.dav, 'd:prop');
    prop.ele(ns.dav, 'd:getetag').txt(m.etag);
    if (m.calendarData === undefined) {
      prop.ele(ns.dav, 'd:getcontenttype').txt('text/calendar; charset=utf-8');
    } else {
      prop.ele(ns.caldav, 'cal:calendar-data').txt(m.calendarData);
    }
    prop.up().ele(ns.dav, 'd:status').txt('HTTP/1.1 200 OK');
  }
  return root.end({ prettyPrint: false });
}

/** Both writers must describe the same document: compare element names, order and text. */
function canonical(xml: string): string {
  const document = create(xml).toObject({ group: false }) as unknown;
  return JSON.stringify(document);
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function time(write: (list: readonly Member[]) => string, list: readonly Member[]): number {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    write(list);
    times.push(performance.now() - start);
  }
  return median(times);
}

const rows: string[] = [];
for (const [label, withData] of [
  ['getetag + getcontenttype', false],
  ['getetag + calendar-data', true],
] as const) {
  const list = members(withData);
  const own = withOwnWriter(list);
  const built = withXmlbuilder2(list);
  if (canonical(own) !== canonical(built)) throw new Error(`the two writers disagree for ${label}`);
  // Warm both paths up before timing.
  time(withOwnWriter, list.slice(0, 200));
  time(withXmlbuilder2, list.slice(0, 200));
  const ownMs = time(withOwnWriter, list);
  const builderMs = time(withXmlbuilder2, list);
  rows.push(
    `| ${label} | ${n} | ${ownMs.toFixed(1)} | ${builderMs.toFixed(1)} | ${(builderMs / ownMs).toFixed(1)}× |`,
  );
}

process.stdout.write(
  `\n207 Multi-Status serialisation, median of ${rounds} runs, ${new Date().toISOString().slice(0, 10)}\n` +
    '| body | responses | build-xml.ts ms | xmlbuilder2 ms | xmlbuilder2 / build-xml |\n' +
    '| --- | ---: | ---: | ---: | ---: |\n' +
    `${rows.join('\n')}\n`,
);
