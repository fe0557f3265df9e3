/**
 * Runs the built main bundle (dist/main/index.js) in this process with the stand-in resolved in
 * place of `electron`. Each call loads the bundle afresh, which is how a test "restarts the app".
 */
import Module from 'node:module';
import path from 'node:path';
import { createElectronStandIn, type ElectronStandIn, type StandInOptions } from './stand-in';

// A benchmark bundled elsewhere (scripts/bench.mjs) names the built bundle by the environment.
const MAIN_BUNDLE =
  process.env.GAMECLIPS_MAIN_BUNDLE ?? path.resolve(__dirname, '../../dist/main/index.js');
const STAND_IN_ID = path.resolve(__dirname, '__electron_stand_in__.js');

type ResolveFilename = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as {
  _resolveFilename: ResolveFilename;
  _cache: Record<string, unknown>;
};
let hooked = false;

function hookElectron(): void {
  if (hooked) return;
  hooked = true;
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolve(
    this: unknown,
    request: string,
    ...rest: unknown[]
  ) {
    return request === 'electron' ? STAND_IN_ID : original.call(this, request, ...rest);
  };
}

export function launchBuiltApp(options: StandInOptions): ElectronStandIn {
  hookElectron();
  const standIn = createElectronStandIn(options);
  const fake = new Module(STAND_IN_ID);
  fake.filename = STAND_IN_ID;
  fake.loaded = true;
  fake.exports = standIn.electron;
  moduleInternals._cache[STAND_IN_ID] = fake;
  delete moduleInternals._cache[MAIN_BUNDLE];
  Module.createRequire(__filename)(MAIN_BUNDLE);
  return standIn;
}
