// 考核评价 as its users walk it: a supervisor at 1366×768 runs the month's grid assessment,
// reads the classes per town, opens a grid's result and checks a computed item against the
// figure behind it, gives a reviewer score with its reason, freezes the result and corrects
// it with a reason seen in its history; the dashboard shows the classes on the map and the
// rankings. A grid worker, on a phone at 390×844, enters the self score of their own month.
import { PASSWORD, uiLogin, shot as shotOf } from './harness.mjs'
import { untranslated } from './chinese.mjs'

export const assessTests = []
const test = (name, fn) => assessTests.push([name, fn])

const GRID = '371302001001001' // 东关社区第1网格
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }

function month () {
  const d = new Date(Date.now() + 8 * 3600e3)
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

async function english (page) {
  await page.waitForLoadState('networkidle')
  let bad = await untranslated(page)
  for (let i = 0; bad.length && i < 6; i++) {
    await page.waitForTimeout(500)
    bad = await untranslated(page)
  }
  return bad
}

// a grid worker of the grid itself, made once for the suite
async function gridWorker (srv) {
  const made = await srv.api('POST', '/api/v1/users', { username: 'gw_assess', role: 'gridworker', scope: GRID, name: '刘晓燕' }, srv.admin, { 'X-Allow-Error': '1' })
  if (made && made.initial_password) await srv.changeFirst('gw_assess', made.initial_password)
}

test('assessment: a supervisor runs the month, reviews, freezes and corrects a grid', async ({ page, base, assert, srv, shot }) => {
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/assessments')
  await page.click('[data-test=as-run]')
  await page.waitForSelector(`[data-test=as-row-${GRID}]`)
  assert(await page.locator('[data-test=as-summary]').isVisible(), 'the classes per town show')
  assert((await page.textContent('[data-test=as-summary]')).includes('B类以上占比'), 'the share at B or above')
  await shot('assess-list')
  let bad = await english(page)
  assert(!bad.length, 'the list in Chinese: ' + bad.join(' '))
  await page.click(`[data-test=as-row-${GRID}]`)
  await page.waitForSelector('[data-test="ad-item-G1.1"]')
  const id = Number(page.url().split('/').pop())
  const sup = await srv.login('super1', PASSWORD)
  const res = await srv.api('GET', `/api/v1/assessments/${id}`, undefined, sup)
  const f = res.items.find(i => i.code === 'G1.1')
  assert((await page.textContent('[data-test="ad-fig-G1.1"]')).includes(String(f.figure.count)), 'the findings counted on the page')
  assert(f.computed === Math.min(15, f.figure.count), 'findings: a point each up to 15')
  // a reviewer score with its reason
  await page.fill('[data-test="ad-rev-G3.2"] input', '7')
  await page.fill('[data-test="ad-reason-G3.2"]', '网格例会缺席一次')
  await page.click('[data-test="ad-rev-save-G3.2"]')
  await page.waitForFunction(() => document.querySelector('[data-test=ad-final-G3\\.2]').textContent.trim() === '7')
  // frozen, then corrected with a reason kept in the history
  await page.click('[data-test=ad-freeze]')
  await page.locator('.el-message-box .el-button--primary').click()
  await page.waitForFunction(() => document.querySelector('[data-test=ad-state]').textContent.includes('已冻结'))
  assert(!(await page.locator('[data-test=ad-rev-G3\\.2]').count()), 'a frozen result takes no entries')
  await page.click('[data-test=ad-correct]')
  await page.click('[data-test=ad-corr-code]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'G3.2' }).first().click()
  await page.fill('[data-test=ad-corr-score] input', '9')
  await page.fill('[data-test=ad-corr-reason]', '经核实当日在处置火情，不扣分')
  await page.click('[data-test=ad-corr-save]')
  await page.waitForSelector('[data-test=ad-hist-correct]')
  const h = await page.textContent('[data-test=ad-hist-correct]')
  assert(h.includes('7.0') && h.includes('9.0') && h.includes('处置火情'), 'the correction\'s old and new values and reason: ' + h)
  await shot('assess-detail')
  bad = await english(page)
  assert(!bad.length, 'the result in Chinese: ' + bad.join(' '))
  // the dashboard: the classes on the map, the rankings
  await page.goto(base + '/dashboard')
  await page.waitForSelector('[data-test=as-classmap-share]')
  assert((await page.textContent('[data-test=as-classmap-period]')).includes(month()), 'this month\'s classes on the map')
  assert(await page.locator('[data-test=as-rank-worker]').isVisible(), 'the workers\' ranking')
  await shot('assess-dashboard')
})

test('assessment: a grid worker enters their self score on a phone', async ({ browser, base, assert, srv }) => {
  await gridWorker(srv)
  const sup = await srv.login('super1', PASSWORD)
  await srv.api('POST', '/api/v1/assessments', { kind: 'worker', period: month() }, sup)
  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  await uiLogin(phone, base, 'gw_assess')
  const gw = await srv.login('gw_assess', PASSWORD)
  const list = await srv.api('GET', '/api/v1/assessments?kind=worker&period=' + month(), undefined, gw)
  const mine = list.results.find(r => r.object === 'gw_assess')
  assert(mine, 'the worker\'s own result is listed to them')
  await phone.goto(base + '/assessments/' + mine.id)
  await phone.waitForSelector('[data-test=ad-self-W3\\.2]')
  await phone.fill('[data-test=ad-self-W3\\.2] input', '9.5')
  await phone.fill('[data-test=ad-ev-W3\\.2]', '考勤表2026')
  await phone.click('[data-test=ad-self-save-W3\\.2]')
  await phone.waitForFunction(() => document.querySelector('[data-test=ad-final-W3\\.2]').textContent.trim() === '9.5')
  const after = await srv.api('GET', '/api/v1/assessments/' + mine.id, undefined, gw)
  const it = after.items.find(i => i.code === 'W3.2')
  assert(it.self === 9.5 && it.evidence.includes('考勤表2026'), 'the self score and its evidence are stored')
  assert(!(await phone.locator('[data-test=ad-rev-W3\\.2]').count()), 'a worker gives no reviewer score')
  await shotOf(phone, 'assess-self-phone')
  await ctx.close()
})

test('assessment: a supervisor edits the district\'s grid scheme, a bad edit named', async ({ page, base, assert, srv, shot }) => {
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/assessments')
  await page.click('[data-test=as-tabs] .el-tabs__item:has-text("考核方案")')
  await page.waitForSelector('[data-test=as-scheme]')
  const sup = await srv.login('super1', PASSWORD)
  const before = await srv.api('GET', '/api/v1/assessments/schemes/grid', undefined, sup)
  await page.fill('[data-test=as-sc-A] input', '92')
  await page.click('[data-test=as-sc-save]')
  await page.waitForFunction(v => document.querySelector('[data-test=as-scheme]').textContent.includes(`第 ${v} 版`), before.version + 1)
  const after = await srv.api('GET', '/api/v1/assessments/schemes/grid', undefined, sup)
  assert(after.version === before.version + 1 && after.classes.A === 92, 'the edit stored as the next version')
  // an item's score raised: the groups no longer add up to 100, and the page says where
  await page.fill('[data-test="as-sc-score-G1.1"] input', '20')
  await page.click('[data-test=as-sc-save]')
  await page.waitForSelector('[data-test=as-sc-error]')
  assert((await page.textContent('[data-test=as-sc-error]')).includes('groups'), 'the error names the field')
  const still = await srv.api('GET', '/api/v1/assessments/schemes/grid', undefined, sup)
  assert(still.version === after.version, 'nothing stored')
  await shot('assess-scheme')
  const bad = await english(page)
  assert(!bad.length, 'the scheme in Chinese: ' + bad.join(' '))
})
