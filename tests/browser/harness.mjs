// Browser-test harness: a fresh data directory (as tests/e2e/harness.py makes one), the real
// wangge binary on a free loopback port serving the built console, API calls for set-up,
// and Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, process.env.WANGGE_BIN || 'build/release/wangge')
export const SHOTS = join(ROOT, 'build', 'artifacts', 'screenshots')
export const PASSWORD = 'Console-pass-2026'
const require = createRequire(join(ROOT, 'web', 'package.json'))
export const { chromium } = require('playwright-core')

// every command and server here hashes passwords at Argon2id's least cost, as the
// end-to-end tests' do: what is tested is the console, and logins are most of its set-up
process.env.WANGGE_ARGON2_MEMORY_MIB ||= '1'
process.env.WANGGE_ARGON2_PASSES ||= '1'

export function wangge (...args) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function square (x0, y0, x1, y1) {
  return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] }
}

function feature (code, name, kind, geometry, props = {}) {
  return { type: 'Feature', properties: { code, name, kind, ...props }, geometry }
}

// The e2e test district: town 371302001 with two villages, grids 0.01° squares near Linyi.
export const GRIDS = {
  type: 'FeatureCollection',
  features: [
    feature('371302001001001', '东关社区第1网格', 'base', square(118.30, 35.00, 118.31, 35.01), { households: 320, population: 1000 }),
    feature('371302001001002', '东关社区第2网格', 'base', square(118.31, 35.00, 118.32, 35.01)),
    feature('371302001002001', '西关社区第1网格', 'base', square(118.30, 35.01, 118.31, 35.02)),
    feature('371302001001901', '东关社区专属网格(学校)', 'exclusive', square(118.302, 35.002, 118.304, 35.004), { subtype: 'school' })
  ]
}

// Every role's account; scope as in the demo, the handler bound to a unit
export const ACCOUNTS = [
  ['agent1', 'agent', '371302'], ['super1', 'supervisor', '371302'], ['handler1', 'handler', 'unit:cgzf'],
  ['grid1', 'gridworker', '371302001'], ['comm1', 'community', '371302001'], ['med1', 'mediator', '371302001'],
  ['leader1', 'leader', '371302'], ['audit1', 'auditor', 'all'], ['sec1', 'secadmin', 'all'], ['first1', 'agent', '371302']
]

const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor']

export class Server {
  constructor () {
    this.dir = mkdtempSync(join(tmpdir(), 'wangge-browser-'))
    const out = wangge('init', '--data', this.dir)
    // the first administrators' one-time passwords by username: lines "  ROLE USERNAME PASSWORD …"
    this.first = Object.fromEntries(out.split('\n').filter(l => /^ {2}(sysadmin|secadmin|auditor) /.test(l))
      .map(l => l.trim().split(/\s+/).slice(1, 3)))
    wangge('import', 'divisions', '--data', this.dir, '--county', '371302', '--source', join(ROOT, 'tests', 'data', 'divisions'))
    const gj = join(this.dir, 'grids.geojson')
    writeFileSync(gj, JSON.stringify(GRIDS))
    wangge('import', 'grids', '--data', this.dir, gj)
    const pw = join(this.dir, 'pw')
    writeFileSync(pw, 'Initial-pass-1\n')
    for (const [name, role, scope] of ACCOUNTS) {
      if (ADMIN_ROLES.includes(role)) continue // a secadmin makes these once serving (start)
      wangge('user', 'add', '--data', this.dir, '--username', name, '--role', role, '--scope', scope, '--password-file', pw)
    }
  }

  async start () {
    this.proc = spawn(BIN, ['serve', '--data', this.dir, '--listen', '127.0.0.1:0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.log = ''
    this.proc.stderr.on('data', d => { this.log += d })
    this.base = await new Promise((resolve, reject) => {
      let buf = ''
      const t = setTimeout(() => reject(new Error('server did not start: ' + this.log)), 15000)
      this.proc.stdout.on('data', d => {
        buf += d
        const m = buf.match(/listening on (http:\/\/\S+)/)
        if (m) { clearTimeout(t); resolve(m[1]) }
      })
      this.proc.on('exit', c => reject(new Error('server exited ' + c + ': ' + this.log)))
    })
    // the first sysadmin and secadmin change their one-time passwords; the secadmin makes the
    // administrators' accounts, each with a one-time password; every account but first1 sets
    // its own
    this.admin = await this.changeFirst('admin', this.first.admin)
    const sec = await this.changeFirst('secadmin', this.first.secadmin)
    for (const [name, role, scope] of ACCOUNTS) {
      if (name === 'first1') continue
      const initial = ADMIN_ROLES.includes(role)
        ? (await this.api('POST', '/api/v1/admins', { username: name, role, scope }, sec)).initial_password
        : 'Initial-pass-1'
      await this.changeFirst(name, initial)
    }
    await this.api('POST', '/api/v1/units', { id: 'cgzf', name: '城管执法局', kind: 'department', regions: ['371302'] }, this.admin)
    await this.api('POST', '/api/v1/units', { id: 'jtj', name: '交通运输局', kind: 'department', regions: ['371302'] }, this.admin)
    await this.api('POST', '/api/v1/routing-rules', { item: '06', region: '', lead: 'cgzf' }, this.admin)
    return this
  }

  async api (method, path, body, token, headers = {}) {
    const h = { ...headers }
    if (token) h.Authorization = 'Bearer ' + token
    if (body !== undefined) h['Content-Type'] = 'application/json'
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let json = null
    try { json = JSON.parse(text) } catch { json = text }
    if (!res.ok && !headers['X-Allow-Error']) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return json
  }

  async login (name, password = PASSWORD) {
    return (await this.api('POST', '/api/v1/session', { username: name, password })).token
  }

  async changeFirst (name, initial) {
    const token = await this.login(name, initial)
    await this.api('PUT', '/api/v1/me/password', { old_password: initial, new_password: PASSWORD }, token)
    return token
  }

  async stop () {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM')
      await new Promise(r => this.proc.on('exit', r))
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export async function launch () {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run']
  })
}

export async function shot (page, name) {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: true })
}

// Logs in through the login page and waits for the role's home page.
// Opens the grid page's region tree down the names given, each clicked inside the tree by
// its exact name (a name elsewhere on the page, or not yet drawn, is never the one clicked).
export async function treeTo (page, ...names) {
  const tree = page.locator('[data-test=g-tree]')
  for (const n of names) await tree.getByText(n, { exact: true }).click()
}

export async function uiLogin (page, base, name, password = PASSWORD) {
  await page.goto(base + '/login')
  await page.fill('[data-test=username]', name)
  await page.fill('[data-test=password]', password)
  await page.click('[data-test=login]')
  await page.waitForSelector('[data-test=who]')
}

export function assert (cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg)
}

// A download's bytes, read whole
export async function readStream (s) {
  const chunks = []
  for await (const c of s) chunks.push(c)
  return Buffer.concat(chunks)
}
