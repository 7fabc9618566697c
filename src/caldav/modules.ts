import { calendarAccessModule } from './calendar-access/calendar-access-module.ts';
import { calendarserverModule } from './calendarserver/calendarserver-module.ts';
import { coreModule } from './core/core-module.ts';
import { discoveryModule } from './discovery/discovery-module.ts';
import type { CaldavModule, MethodHandler, ModuleRegistry, PropertyDef, ReportHandler } from './module.ts';
import type { ResourceKind } from './resource-path.ts';
import { syncModule } from './sync/sync-module.ts';
import type { ClarkName } from './xml/names.ts';

/**
 * The CalDAV door's RFC concerns, in order. The DAV header, supported-report-set and allprop are
 * derived from this list. The scheduling module (RFC 6638, calendar-auto-schedule) joins it in
 * plugin.ts when SMTP_URL is set: advertising it makes clients leave every invitation to the
 * server, which can mail people outside Telegram only then (docs/caldav-client-quirks.md#auto-schedule).
 */
export const caldavModules: readonly CaldavModule[] = [
  coreModule,
  discoveryModule,
  calendarAccessModule,
  syncModule,
  calendarserverModule,
];

export function buildRegistry(modules: readonly CaldavModule[] = caldavModules): ModuleRegistry {
  const features: string[] = [];
  const methods = new Map<string, MethodHandler>();
  const reports = new Map<ClarkName, ReportHandler>();
  const reportsApplyTo = new Map<ClarkName, readonly ResourceKind[]>();
  const properties = new Map<ClarkName, PropertyDef>();
  for (const module of modules) {
    for (const feature of module.davFeatures ?? []) if (!features.includes(feature)) features.push(feature);
    for (const [method, handler] of Object.entries(module.methods ?? {}))
      if (handler) methods.set(method, handler);
    for (const [name, handler] of Object.entries(module.reports ?? {}) as Array<
      [ClarkName, ReportHandler | undefined]
    >) {
      if (handler) reports.set(name, handler);
    }
    for (const [name, kinds] of Object.entries(module.reportsApplyTo ?? {}) as Array<
      [ClarkName, readonly ResourceKind[] | undefined]
    >) {
      if (kinds) reportsApplyTo.set(name, kinds);
    }
    for (const [name, def] of Object.entries(module.properties ?? {}) as Array<
      [ClarkName, PropertyDef | undefined]
    >) {
      if (def) properties.set(name, def);
    }
  }
  return { davHeader: features.join(', '), methods, reports, reportsApplyTo, properties };
}
