import type { CaldavModule } from '../module.ts';
import { deleteResource } from './delete.ts';
import { getObject, headObject } from './get-head.ts';
import { coreProperties } from './properties.ts';
import { propfind } from './propfind.ts';
import { proppatch } from './proppatch.ts';
import { putObject } from './put.ts';
import { report } from './report.ts';

/** RFC 4918 (WebDAV class 1; class 3 semantics of RFC 4918 itself), RFC 3744 ACL properties. */
export const coreModule: CaldavModule = {
  name: 'core',
  davFeatures: ['1', '3'],
  methods: {
    PROPFIND: propfind,
    PROPPATCH: proppatch,
    REPORT: report,
    GET: getObject,
    HEAD: headObject,
    PUT: putObject,
    DELETE: deleteResource,
  },
  properties: coreProperties,
};
