// The browser tests, in the order they run (later ones may use what earlier ones made).
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, PASSWORD, readStream, treeTo, uiLogin, shot } from './harness.mjs'
import { noticeTests } from './notices.mjs'
import { portalTests } from './portal.mjs'
import { teamTests } from './team.mjs'
import { duplicateTests } from './duplicates.mjs'
import { deskTests } from './desks.mjs'
import { contactTests } from './contact.mjs'
import { chineseTests, expandScope } from './chinese.mjs'
import { registryTests } from './registry.mjs'
import { addressTests } from './addresses.mjs'
import { visitTests } from './visits.mjs'
import { disputeTests } from './disputes.mjs'
import { alertTests } from './alerts.mjs'
import { taskTests } from './tasks.mjs'
import { assessTests } from './assess.mjs'
import { warningTests } from './warnings.mjs'
import { partakeTests } from './partake.mjs'
import { wishTests } from './wishes.mjs'
import { surveyTests } from './surveys.mjs'

export const tests = []
const test = (name, fn) => tests.push([name, fn])

// What each role's menu shows (data-test="nav-<page>") and what it must not
const SEES = {
  agent1: [['intake', 'dispatch', 'callback', 'orders', 'dashboard', 'grids', 'reports', 'disputes'], ['admin', 'audit', 'inbox', 'mobile', 'my-disputes']],
  super1: [['dispatch', 'callback', 'orders', 'dashboard', 'reports', 'disputes', 'screenings', 'mediation-bodies'], ['admin', 'audit', 'mobile']],
  handler1: [['inbox', 'orders'], ['intake', 'dispatch', 'admin', 'callback', 'reports', 'disputes']],
  grid1: [['mobile', 'orders', 'grids', 'disputes', 'screenings'], ['intake', 'dispatch', 'admin', 'reports']],
  comm1: [['intake', 'inbox', 'orders', 'disputes', 'screenings'], ['dispatch', 'admin']],
  med1: [['orders', 'grids', 'my-disputes', 'disputes', 'mediation-bodies'], ['intake', 'dispatch', 'admin', 'dashboard']],
  leader1: [['dashboard', 'grids', 'reports', 'orders', 'disputes'], ['intake', 'dispatch', 'admin', 'audit', 'my-disputes']],
  admin: [['admin', 'grids', 'dashboard'], ['intake', 'dispatch', 'orders', 'audit', 'disputes']],
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
  assert((await page.textContent('.el-alert--error')).includes('用户名或密码错误'), 'error shown')
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
  // cold caches: a new context each time; the time until the login page is drawn and the
  // page's own load event (Navigation Timing), three times on a shared machine. The times are
  // printed for people, not checked: speed is the benchmarks' to measure; the size is checked
  const runs = []
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext()
    const page = await ctx.newPage()
    const t0 = Date.now()
    await page.goto(base + '/login')
    await page.waitForSelector('[data-test=login]')
    const drawn = Date.now() - t0
    const load = await page.evaluate(() => Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd))
    const bytes = await page.evaluate(() => performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize || 0), 0))
    runs.push({ drawn, load, bytes })
    await ctx.close()
  }
  runs.sort((a, b) => a.drawn - b.drawn)
  let gz = 0
  let raw = 0
  const dir = join(ROOT, 'web', 'dist', 'assets')
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.js')) raw += statSync(join(dir, f)).size
    if (f.endsWith('.js.gz')) gz += statSync(join(dir, f)).size
  }
  const med = runs[1]
  console.log(`console: first load ${med.drawn} ms to the drawn login page (median of 3; best ${runs[0].drawn} ms; load event ${med.load} ms; ${(med.bytes / 1024).toFixed(0)} KB transferred) on loopback; JavaScript ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped in all`)
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

// The leader's dashboard KPIs, read in a context of its own: {received, finished, ...} or
// null when this build has no indicators API yet.
async function dashboardFigures (browser, base) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } })
  const page = await ctx.newPage()
  try {
    await uiLogin(page, base, 'leader1')
    await page.goto(base + '/dashboard')
    await page.waitForSelector('[data-test=db-kpis]')
    await page.waitForFunction(() => document.querySelector('[data-test=db-unavailable]') ||
      document.querySelector('[data-test=kpi-received]').dataset.value !== '')
    if (await page.locator('[data-test=db-unavailable]').count()) return null
    const out = {}
    for (const k of ['received', 'open', 'finish_rate', 'satisfaction_rate']) out[k] = await page.getAttribute(`[data-test=kpi-${k}]`, 'data-value')
    return out
  } finally { await ctx.close() }
}

test('an order through its whole life in the UI: intake, dispatch, sign, reply, verify, callback', async ({ page, base, assert, shot, browser }) => {
  const before = await dashboardFigures(browser, base)
  // 受理: the agent takes a call, looks up the caller, places the point, picks the item
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/intake')
  await page.fill('[data-test=in-phone]', '13812345678')
  await page.fill('[data-test=in-name]', '张三')
  await page.click('[data-test=in-lookup]')
  await page.waitForSelector('[data-test=in-history]')
  // the item hints and the routing suggestion are the server's (the console keeps no rules)
  const hinted = page.waitForResponse(r => r.url().includes('/api/v1/catalog/suggest?') && r.ok())
  await page.fill('[data-test=in-title]', '夜间施工噪声扰民')
  await page.fill('[data-test=in-content]', '东关社区工地每天夜里施工，噪声很大，影响休息')
  await hinted
  await page.fill('[data-test=in-address]', '兰山区东关社区')
  await page.fill('[data-test=in-lonlat]', '118.3055, 35.0055')
  await page.press('[data-test=in-lonlat]', 'Enter')
  await page.waitForSelector('[data-test=in-grid]')
  assert((await page.textContent('[data-test=in-grid]')).includes('东关社区第1网格') &&
    await page.getAttribute('[data-test=in-grid]', 'title') === '371302001001001', 'located to its grid, by name')
  const routed = page.waitForResponse(r => r.url().includes('/api/v1/routing-rules/match?item=06028&region=371302001001001') && r.ok())
  await page.click('[data-test=in-hint-06028]')
  await routed
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
  await page.waitForSelector(`[data-test=in-dupes] [data-test=dupe-${life.id}]`)

  // 派单台: the desk dispatches it by its suggestion
  await page.goto(base + '/dispatch')
  // the desk's one request carries the table; a suggestion is asked for when wanted
  await page.click(`[data-test=d-suggest-ask-${life.id}]`)
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

  // 一屏观全域: the leader's dashboard counts the order
  const after = await dashboardFigures(browser, base)
  if (!before || !after) {
    console.log('dashboard: this build has no indicators API; the figures were not compared')
  } else {
    assert(Number(after.received) === Number(before.received) + 1, `received ${before.received} → ${after.received}`)
    assert(after.satisfaction_rate !== '' && Number(after.satisfaction_rate) > 0, 'a satisfaction rate after the callback')
  }
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

test('every page draws: screenshots', async ({ page, base, assert, shot }) => {
  const visits = [
    ['leader1', ['dashboard', 'grids', 'reports', 'orders']],
    ['agent1', ['dispatch', 'callback', 'orders', 'account']],
    ['handler1', ['inbox']],
    ['admin', ['admin']],
    ['audit1', ['audit']]
  ]
  for (const [who, pages] of visits) {
    await uiLogin(page, base, who)
    for (const p of pages) {
      await page.goto(base + '/' + p)
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(300)
      await shot(`page-${p}-${who}`)
    }
    await page.click('[data-test=logout]')
  }
  // the dashboard drills from the county to a town by a click on the map
  await uiLogin(page, base, 'leader1')
  await page.goto(base + '/dashboard')
  await page.waitForSelector('[data-test=map] path, [data-test=map] canvas')
  await page.waitForLoadState('networkidle')
  const box = await page.locator('[data-test=map]').first().boundingBox()
  if (await page.locator('[data-test=db-unavailable]').count() === 0) {
    // coloured by open orders: the town with open orders is not the no-data grey
    const px = await page.evaluate(() => {
      const c = document.querySelector('[data-test=map] canvas')
      const r = c.getBoundingClientRect()
      const d = c.getContext('2d').getImageData(Math.round(c.width / 2), Math.round(c.height / 2), 1, 1).data
      return [d[0], d[1], d[2], r.width]
    })
    assert(!(px[0] === 229 && px[1] === 231 && px[2] === 235) && !(px[0] === px[1] && px[1] === px[2]), 'the map is coloured: ' + px)
  }
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  await page.waitForURL(/region=371302001$/)
  await page.waitForFunction(() => document.querySelector('[data-test=db-region]').textContent.includes('测试街道'))
  await shot('page-dashboard-town')
  // a page left while its map still zooms (a wheel turn, then the menu at once) throws nothing
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.wheel(0, -300)
  await page.waitForTimeout(80) // past Leaflet's 40 ms wheel debounce, inside its 250 ms zoom
  await page.click('[data-test=nav-grids]')
  await page.waitForTimeout(400)
  // the grid tree opens down to a grid with its figures
  await page.goto(base + '/grids')
  await page.click('[data-test=g-tree] .el-tree-node__content')
  await treeTo(page, '测试街道', '东关社区居委会', '东关社区第1网格')
  await page.waitForSelector('[data-test=g-grid]')
  assert((await page.textContent('[data-test=g-grid]')).includes('320'), 'the grid\'s households')
  await shot('page-grids-grid')
})

test('reports export CSV and XLSX', async ({ page, base, assert, shot }) => {
  await uiLogin(page, base, 'leader1')
  await page.goto(base + '/reports')
  await page.waitForSelector('[data-test=r-table]')
  await page.click('[data-test=r-kind] >> text=月报')
  await page.waitForLoadState('networkidle')
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=r-csv]')])
  assert(csv.suggestedFilename().endsWith('.csv'), 'a CSV file')
  const text = (await readStream(await csv.createReadStream())).toString('utf8')
  assert(text.startsWith('\ufeff名称,受理量'), 'CSV with a BOM and Chinese headers: ' + text.slice(0, 40))
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=r-xlsx]')])
  const bytes = await readStream(await xlsx.createReadStream())
  assert(xlsx.suggestedFilename().endsWith('.xlsx') && bytes[0] === 0x50 && bytes[1] === 0x4b, 'an XLSX (zip) file')
  assert(bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'with its sheet')
  await shot('page-reports-monthly')
  // 同比: each figure with its change against the same days a year earlier, in the export too
  await page.click('[data-test=r-yoy]')
  await page.waitForSelector('[data-test=r-change]')
  const changes = await page.locator('[data-test=r-change]').allTextContents()
  assert(changes.length > 10 && changes.every(c => /^([+−±]\d+(\.\d)?(%|个百分点)|—)$/.test(c.trim())), 'changes read as percent or points: ' + changes.slice(0, 6))
  const [csv2] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=r-csv]')])
  const text2 = (await readStream(await csv2.createReadStream())).toString('utf8')
  assert(text2.startsWith('\ufeff名称,受理量,受理量 同比'), 'the CSV carries the change beside each figure: ' + text2.slice(0, 40))
  await shot('page-reports-yoy')
})

test('admin adds a unit and an account through the console', async ({ page, base, assert, shot }) => {
  await uiLogin(page, base, 'admin')
  await page.goto(base + '/admin')
  await page.click('#tab-units')
  await page.click('[data-test=a-unit-add]')
  // the server refuses a one-letter id: the message, in Chinese, names the field
  await page.fill('[data-test=a-nn-id]', 'h')
  await page.fill('[data-test=a-nn-name]', '生态环境分局')
  await page.click('[data-test=a-nn-submit]')
  await page.waitForSelector('.el-message--error')
  const refused = await page.textContent('.el-message--error')
  assert(refused.includes('「编号」') && !/[a-z]{3,}/i.test(refused), 'the refusal names the field in Chinese: ' + refused)
  await page.fill('[data-test=a-nn-id]', 'hbj')
  await page.fill('[data-test=a-nn-name]', '生态环境分局')
  await page.click('[data-test=a-nn-submit]')
  await page.waitForSelector('[data-test=a-units] >> text=生态环境分局')
  await page.click('#tab-users')
  await page.click('[data-test=a-user-add]')
  await page.fill('[data-test=a-nu-name]', 'newagent')
  await page.click('[data-test=a-nu-scope]')
  await expandScope(page, '区域与网格')
  await page.locator('.el-tree-node__content', { hasText: '兰山区' }).getByText('兰山区', { exact: true }).click()
  await page.click('[data-test=a-nu-submit]')
  await page.waitForSelector('.el-message-box')
  const msg = await page.textContent('.el-message-box')
  assert(/newagent: \S{8,}/.test(msg), 'the initial password is shown once: ' + msg)
  await shot('admin-new-account')
  await page.click('.el-message-box .el-button--primary')
  await page.waitForSelector('[data-test=a-users] >> text=newagent')
  await page.click('#tab-catalog')
  await page.waitForSelector('[data-test=a-catalog] >> text=市容环境')
  await shot('page-admin-catalog')
  // a new catalog item, in force at once and in the catalog's versions
  await page.click('[data-test=a-item-add]')
  await page.fill('[data-test=a-ni-code]', '06999')
  await page.fill('[data-test=a-ni-parent]', '06')
  await page.fill('[data-test=a-ni-name]', '共享单车乱停放')
  await page.fill('[data-test=a-ni-keywords]', '共享单车, 乱停')
  await page.click('[data-test=a-ni-submit]')
  await page.waitForSelector('.el-message--success')
  await page.click('text=历史版本')
  await page.waitForSelector('.el-dialog >> text=06999')
  await page.keyboard.press('Escape')
  // the working calendar of the year
  await page.click('#tab-calendar')
  await page.waitForSelector('[data-test=a-calendar]')
  await page.waitForSelector('[data-test=a-cal-loaded]')
  await shot('page-admin-calendar')
})

test('a unit returns an order and the desk approves the return', async ({ page, base, assert, srv }) => {
  const agent = await srv.login('agent1')
  const o = await srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', item: '06028', title: '占道施工', content: '路口施工占道', lon: 118.3055, lat: 35.0155 }, agent)
  await srv.api('POST', `/api/v1/orders/${o.id}/actions/dispatch`, { unit: 'cgzf' }, agent, { 'If-Match': '"1"' })
  await uiLogin(page, base, 'handler1')
  await page.goto(base + '/orders/' + o.id)
  await act(page, 'return', async () => { await page.fill('[data-test=field-reason]', '不属于本单位职责，应由交通运输局办理') })
  assert(await orderState(page) === 'returning', 'returning')
  await page.click('[data-test=logout]')
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/dispatch')
  await page.click('[data-test=d-which] >> text=退单申请中')
  const row = page.locator(`.el-table__row:has([data-test=order-${o.id}])`)
  await row.waitFor()
  assert(await row.locator('[data-light]').count() === 1, 'the returning order shows its light')
  await shot(page, 'dispatch-returning')
  await row.locator('text=同意退单').click()
  await page.waitForSelector('.el-message--success')
  await page.goto(base + '/orders/' + o.id)
  assert(await orderState(page) === 'received', 'back at the centre to be dispatched again')
})

test('a link to the order list applies its filters; the by-unit report names its units', async ({ page, base, assert, srv }) => {
  const agent = await srv.login('agent1')
  const o = await srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', item: '06028', title: '夜间施工噪声', content: '东关社区工地夜间施工', lon: 118.3055, lat: 35.0055 }, agent)
  await srv.api('POST', `/api/v1/orders/${o.id}/actions/dispatch`, { unit: 'cgzf' }, agent, { 'If-Match': '"1"' })
  await uiLogin(page, base, 'leader1')
  // the dashboard's /orders?light=red: the list asks for red orders only
  const asked = page.waitForRequest(r => r.url().includes('/api/v1/orders?') && r.url().includes('light=red'))
  await page.goto(base + '/orders?light=red')
  await asked
  await page.waitForSelector('[data-test=orders]')
  await shot(page, 'orders-light-red')
  // the report by unit: named rows, the unit's 受理量 what was dispatched to it, no nameless row
  await page.goto(base + '/reports')
  await page.waitForSelector('[data-test=r-table]')
  await page.click('text=分单位')
  await page.waitForSelector('[data-test=r-table] .el-table__row >> text=受理中心')
  const rows = page.locator('[data-test=r-table] .el-table__body-wrapper .el-table__row')
  const names = await rows.locator('td:first-child').allTextContents()
  assert(names.length >= 3 && names.every(n => n.trim()), 'every row named: ' + names.join('|'))
  const unit = rows.filter({ hasText: '城管执法局' })
  assert(await unit.count() === 1, 'the unit by its name: ' + names.join('|'))
  assert((await unit.locator('td:nth-child(2)').textContent()).trim() !== '0', 'the unit received what was dispatched to it')
  await shot(page, 'page-reports-by-unit')
})

// notifications, the supervised list, the callback desk's wait (tests/browser/notices.mjs)
tests.push(...noticeTests)

// the residents' portal (tests/browser/portal.mjs)
tests.push(...portalTests)

// duplicate candidates: the intake form, the dispatch desk, the order (tests/browser/duplicates.mjs)
tests.push(...duplicateTests)
// the desks paged through their cursor (tests/browser/desks.mjs)
tests.push(...deskTests)

// calling the resident: reveal and contact on the order's page (tests/browser/contact.mjs)
tests.push(...contactTests)
tests.push(...chineseTests)
// the registry's people, masked (tests/browser/registry.mjs)
tests.push(...registryTests)
// the address search at intake (tests/browser/addresses.mjs)
tests.push(...addressTests)
// the grid team: 我的网格 on the portal, the team on the grid's card (tests/browser/team.mjs)
tests.push(...teamTests)
// the grid worker's visits and patrols on a phone, with and without signal (tests/browser/visits.mjs)
tests.push(...visitTests)
// the dispute screens: desk, case, steps, bodies, screenings, figures (tests/browser/disputes.mjs)
tests.push(...disputeTests)
// devices and the alert review desk (tests/browser/alerts.mjs)
tests.push(...alertTests)
tests.push(...taskTests)
tests.push(...assessTests)
// early warning: the dashboard's board, the list, the loop (tests/browser/warnings.mjs)
tests.push(...warningTests)
// 一长二员, volunteers and mobilisation (tests/browser/partake.mjs)
tests.push(...partakeTests)
// the wish wall and 一事一议, the portal's wall and notices (tests/browser/wishes.mjs)
tests.push(...wishTests)
tests.push(...surveyTests)
