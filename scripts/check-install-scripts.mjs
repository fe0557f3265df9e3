// Install scripts run with the user's rights at `npm install`: only the packages listed here,
// at the versions reviewed, may have them (issue 14, item 6). Fails, naming each package, when any
// other package in package-lock.json (before install) or in node_modules (as installed) has a
// preinstall/install/postinstall script or a binding.gyp (which npm builds with node-gyp).
//
// To allow one: read its script, say here what it does and why the app needs it, pin the version.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** name -> { version reviewed, what the script does }. */
const ALLOWED = {
  esbuild: {
    version: '0.28.2',
    why: 'postinstall (install.js) checks the platform binary from @esbuild/<platform> and links it; the build uses it',
  },
  'electron-winstaller': {
    version: '5.4.0',
    why: 'install (select-7z-arch.js) copies the 7-Zip binary for the host arch; electron-builder needs it for Windows targets',
  },
  'es5-ext': {
    version: '0.10.64',
    why: 'postinstall (_postinstall.js) only prints a notice and never fails; pulled in through electron-builder',
  },
};
const HOOKS = ['preinstall', 'install', 'postinstall'];

// The project folder; a test passes another one as the first argument.
const root = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
const found = new Map(); // "name@version" -> where

// 1. The lockfile: what a fresh `npm ci` would run, known before anything is installed.
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
for (const [where, entry] of Object.entries(lock.packages ?? {})) {
  if (!entry.hasInstallScript || where === '') continue;
  const name =
    entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
  found.set(`${name}@${entry.version}`, `package-lock.json: ${where}`);
}

// 2. What is installed here (a lockfile can be out of step with node_modules).
function scan(folder) {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.name.startsWith('@')) {
      scan(full);
      continue;
    }
    const manifest = path.join(full, 'package.json');
    if (!existsSync(manifest)) continue;
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue;
    }
    const hooks = HOOKS.filter((hook) => typeof pkg.scripts?.[hook] === 'string');
    if (hooks.length > 0 || existsSync(path.join(full, 'binding.gyp')))
      found.set(
        `${pkg.name}@${pkg.version}`,
        `${path.relative(root, full)} (${hooks.join(', ') || 'binding.gyp'})`,
      );
    scan(path.join(full, 'node_modules'));
  }
}
scan(path.join(root, 'node_modules'));

const refused = [];
for (const [id, where] of found) {
  const at = id.lastIndexOf('@');
  const name = id.slice(0, at);
  const version = id.slice(at + 1);
  const allowed = ALLOWED[name];
  if (!allowed) refused.push(`${id} has install scripts and is not on the allow-list (${where})`);
  else if (allowed.version !== version)
    refused.push(`${id} has install scripts; only ${allowed.version} was reviewed (${where})`);
}
if (refused.length > 0) {
  console.error(`Install scripts outside the allow-list (scripts/check-install-scripts.mjs):`);
  for (const line of refused) console.error(`  ${line}`);
  process.exit(1);
}
console.log(
  `install scripts: ${found.size} package(s), all allowed (${[...found.keys()].join(', ') || 'none'})`,
);
