// The browser tests, in the order they run (later ones may use what earlier ones made).
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, PASSWORD, uiLogin, shot } from './harness.mjs'

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

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGO4o6aGFTEMLQkAF/tKAS/fz4YAAAAASUVORK5CYII=', 'base64')
const life = { id: 0 } // the order the whole-life test takes through the loop

async function orderState (page) {
  await page.waitForSelector('[data-test=state]')
  return page.getAttribute('[data-test=state]', 'data-state')
}

async function act (page, action, fill) {
  await page.click(`[data-test=act-${action}]`)
  if (fill) {
    await page.waitForSelector('[data-test=act-submit]')
    await fill()
    await page.click('[data-test=act-submit]')
  }
  await page.waitForSelector('.el-message--success')
  await page.waitForFunction(a => !document.querySelector(`[data-test=act-${a}]`), action)
}

test('an order through its whole life in the UI: intake, dispatch, sign, reply, verify, callback', async ({ page, base, assert, shot, srv }) => {
  // 受理: the agent takes a call, looks up the caller, places the point, picks the item
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/intake')
  await page.fill('[data-test=in-phone]', '13812345678')
  await page.fill('[data-test=in-name]', '张三')
  await page.click('[data-test=in-lookup]')
  await page.waitForSelector('[data-test=in-history]')
  await page.fill('[data-test=in-title]', '夜间施工噪声扰民')
  await page.fill('[data-test=in-content]', '东关社区工地每天夜里施工，噪声很大，影响休息')
  await page.fill('[data-test=in-address]', '兰山区东关社区')
  await page.fill('[data-test=in-lonlat]', '118.3055, 35.0055')
  await page.press('[data-test=in-lonlat]', 'Enter')
  await page.waitForSelector('[data-test=in-grid]')
  assert((await page.textContent('[data-test=in-grid]')).includes('371302001001001'), 'located to its grid')
  await page.click('[data-test=in-hint-06028]')
  await page.waitForSelector('[data-test=in-suggest]')
  assert((await page.textContent('[data-test=in-suggest]')).includes('城管执法局'), 'routing suggestion shown')
  await page.waitForLoadState('networkidle')
  await shot('intake')
  await page.click('[data-test=in-create]')
  await page.waitForURL(/\/orders\/\d+$/)
  life.id = Number(page.url().split('/').pop())
  assert(await orderState(page) === 'received', 'received')
  await shot('order-received')

  // a second call from the same number sees the first appeal, masked
  await page.goto(base + '/intake')
  await page.fill('[data-test=in-phone]', '13812345678')
  await page.click('[data-test=in-lookup]')
  await page.waitForSelector(`[data-test=in-history] [data-test=order-${life.id}]`)
  // and the same item at a nearby point shows it as a duplicate candidate
  await page.fill('[data-test=in-title]', '噪声')
  await page.fill('[data-test=in-content]', '工地噪声')
  await page.fill('[data-test=in-lonlat]', '118.3065, 35.0065')
  await page.press('[data-test=in-lonlat]', 'Enter')
  await page.click('[data-test=in-hint-06028]')
  await page.waitForSelector(`[data-test=in-dupes] [data-test=order-${life.id}]`)

  // 派单台: the desk dispatches it by its suggestion
  await page.goto(base + '/dispatch')
  await page.waitForSelector(`[data-test=d-suggest-${life.id}]`)
  await page.click(`.el-table__row:has([data-test=order-${life.id}]) .el-checkbox`)
  await shot('dispatch')
  await page.click('[data-test=d-bulk]')
  await page.waitForSelector('.el-message--success')
  await page.goto(base + '/orders/' + life.id)
  assert(await orderState(page) === 'dispatched', 'dispatched')
  assert((await page.textContent('[data-test=unit]')).includes('城管执法局'), 'to the suggested unit')
  await page.click('[data-test=logout]')

  // the unit signs in its inbox and replies with a photo
  await uiLogin(page, base, 'handler1')
  await page.goto(base + '/inbox')
  await page.waitForSelector(`[data-test=ib-sign-${life.id}]`)
  await shot('inbox')
  await page.click(`[data-test=ib-sign-${life.id}]`)
  await page.waitForSelector('.el-message--success')
  await page.goto(base + '/orders/' + life.id)
  assert(await orderState(page) === 'signed', 'signed')
  await act(page, 'reply', async () => {
    await page.fill('[data-test=field-result]', '已责令工地夜间停工，噪声问题已解决')
    await page.setInputFiles('[data-test=field-photos]', { name: 'site.png', mimeType: 'image/png', buffer: PNG })
  })
  assert(await orderState(page) === 'replied', 'replied')
  await page.waitForSelector('[data-test=photos] img')
  await page.click('[data-test=logout]')

  // the centre checks it on site and calls the resident back
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/orders/' + life.id)
  await act(page, 'verify', async () => {})
  assert(await orderState(page) === 'verified', 'verified')
  await page.goto(base + '/callback')
  await page.click(`[data-test=cb-row-${life.id}]`)
  await page.click('[data-test=cb-sat-satisfied]')
  await shot('callback')
  await page.click('[data-test=cb-submit]')
  await page.waitForSelector('.el-message--success')
  await page.goto(base + '/orders/' + life.id)
  assert(await orderState(page) === 'closed', 'closed')
  const steps = await page.locator('[data-test=timeline] .el-timeline-item').count()
  assert(steps >= 7, `the timeline holds every step (${steps})`)
  await page.waitForSelector('[data-test=photos] img')
  await shot('order-closed')
})

test('a grid worker reports a problem from the phone with a photo and GPS', async ({ browser, base, assert }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', geolocation: { longitude: 118.3155, latitude: 35.0055 }, permissions: ['geolocation'] })
  const page = await ctx.newPage()
  try {
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    await page.click('text=上报问题')
    await page.fill('[data-test=m-title]', '路灯不亮')
    await page.fill('[data-test=m-content]', '东关社区第2网格路口路灯不亮')
    await page.click('[data-test=m-gps]')
    await page.waitForFunction(() => document.querySelector('[data-test=m-where]').textContent.includes('网格'))
    await page.setInputFiles('[data-test=m-photo]', { name: 'lamp.png', mimeType: 'image/png', buffer: PNG })
    await shot(page, 'mobile-report')
    await page.click('[data-test=m-submit]')
    await page.waitForURL(/\/orders\/\d+$/)
    await page.waitForSelector('[data-test=photos] img')
    await shot(page, 'mobile-order')
    await page.goto(base + '/mobile')
    await page.waitForSelector('[data-test^=m-order-]')
    await shot(page, 'mobile')
  } finally { await ctx.close() }
})
