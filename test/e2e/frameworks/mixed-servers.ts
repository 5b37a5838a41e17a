// Every browser-verified framework's mixed app (mixed-apps.ts), in the order of FRAMEWORK_SERVERS.
import type { MixedServer } from './mixed-apps';
import { expressMixed, fastifyMixed, honoMixed, koaMixed, nestMixed } from './mixed-js';
import { apacheMixed, caddyMixed, goMixed, goNetHttpMixed, nginxMixed, railsMixed } from './mixed-native';
import { djangoMixed, fastapiMixed, flaskMixed, starletteMixed } from './mixed-python';

export const MIXED_SERVERS: MixedServer[] = [
  expressMixed,
  fastapiMixed,
  nginxMixed,
  starletteMixed,
  nestMixed,
  fastifyMixed,
  honoMixed,
  koaMixed,
  flaskMixed,
  djangoMixed,
  railsMixed,
  goMixed,
  goNetHttpMixed,
  apacheMixed,
  caddyMixed,
];
