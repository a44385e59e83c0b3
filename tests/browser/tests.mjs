// The browser tests, in the order they run (later ones may use what earlier ones made).
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, PASSWORD, uiLogin } from './harness.mjs'
import { portalTests } from './portal.mjs'

export const tests = []
const test = (name, fn) => tests.push([name, fn])

// What each role's menu shows (data-test="nav-<page>") and what it must not
const SEES = {
  agent1: [['intake', 'dispatch', 'callback', 'orders', 'dashboard', 'grids', 'reports'], ['admin', 'audit', 'inbox', 'mobile']],
  super1: [['dispatch', 'callback', 'orders', 'dashboard', 'reports'], ['admin', 'audit', 'mobile']],
  handler1: [['inbox', 'orders'], ['intake', 'dispatch', 'admin', 'callback', 'reports']],
  grid1: [['mobile', 'orders', 'grids'], ['intake', 'dispatch', 'admin', 'reports']],
  comm1: [['intake', 'inbox', 'orders'], ['dispatch', 'admin']],
  med1: [['orders', 'grids'], ['intake', 'dispatch', 'admin', 'dashboard']],
  leader1: [['dashboard', 'grids', 'reports', 'orders'], ['intake', 'dispatch', 'admin', 'audit']],
  admin: [['admin', 'grids', 'dashboard'], ['intake', 'dispatch', 'orders', 'audit']],
  audit1: [['audit', 'account'], ['admin', 'orders', 'grids', 'dashboard']],
  sec1: [['account'], ['admin', 'audit', 'orders', 'grids']]
}

test('login as each role and see its pages', async ({ page, base, assert, shot }) => {
  for (const [name, [yes, no]] of Object.entries(SEES)) {
    await uiLogin(page, base, name)
    for (const p of yes) assert(await page.locator(`[data-test=nav-${p}]`).count() === 1, `${name} sees ${p}`)
    for (const p of no) assert(await page.locator(`[data-test=nav-${p}]`).count() === 0, `${name} does not see ${p}`)
    await page.waitForLoadState('networkidle')
    await shot('home-' + name)
    await page.click('[data-test=logout]')
    await page.waitForSelector('[data-test=login]')
  }
})

test('a wrong password is refused with the API message', async ({ page, base, assert, shot }) => {
  await page.goto(base + '/login')
  await page.fill('[data-test=username]', 'agent1')
  await page.fill('[data-test=password]', 'wrong-Pass-1')
  await page.click('[data-test=login]')
  await page.waitForSelector('.el-alert--error')
  assert((await page.textContent('.el-alert--error')).includes('wrong username or password'), 'error shown')
  await shot('login')
})

test('the first login forces a password change', async ({ page, base, assert, shot }) => {
  await page.goto(base + '/login')
  await page.fill('[data-test=username]', 'first1')
  await page.fill('[data-test=password]', 'Initial-pass-1')
  await page.click('[data-test=login]')
  await page.waitForSelector('[data-test=new-password]')
  await shot('login-password-change')
  await page.fill('[data-test=new-password]', PASSWORD)
  await page.fill('[data-test=new-password2]', PASSWORD)
  await page.click('[data-test=change]')
  await page.waitForSelector('[data-test=who]')
  assert((await page.textContent('[data-test=who]')).includes('first1'), 'logged in after the change')
  // a deep link survives the login: the page asked for comes after it
  await page.goto(base + '/orders')
  await page.waitForSelector('[data-test=orders]')
})

test('English switch', async ({ page, base, assert }) => {
  await uiLogin(page, base, 'agent1')
  await page.click('[data-test=lang]')
  await page.waitForSelector('text=Dispatch desk')
  assert(await page.locator('[data-test=nav-intake]').textContent() === 'Intake', 'menu in English')
  await page.click('[data-test=lang]')
  await page.waitForSelector('text=派单台')
})

test('console first load on loopback and JavaScript size', async ({ browser, base, assert }) => {
  // a cold cache: a new context, the login page drawn
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  const t0 = Date.now()
  await page.goto(base + '/login')
  await page.waitForSelector('[data-test=login]')
  const ms = Date.now() - t0
  await ctx.close()
  let gz = 0
  let raw = 0
  const dir = join(ROOT, 'web', 'dist', 'assets')
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.js')) raw += statSync(join(dir, f)).size
    if (f.endsWith('.js.gz')) gz += statSync(join(dir, f)).size
  }
  console.log(`console: first load ${ms} ms on loopback; JavaScript ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped`)
  assert(ms < 1000, `first load under 1 s (${ms} ms)`)
  assert(gz < 1024 * 1024, 'JavaScript under 1 MB gzipped')
})

// the residents' portal (tests/browser/portal.mjs)
tests.push(...portalTests)
