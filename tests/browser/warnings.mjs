// Early warning (预警) as its users walk it: five noise appeals around one compound and a 讨薪
// appeal taken in over the API raise a 群发 warning (and a 突发 one) and a red keyword warning;
// a leader finds them on the dashboard's board at 1366×768, opens the cluster's row to its
// orders, and reads the warnings page in Chinese and in English; a supervisor judges the cluster
// with a note, loses a race to a colleague (409: the page reads it again), handles it by a
// special order's number and closes it, each step on the timeline; a leader reads a warning on
// a phone at 390×844 without sideways scrolling and without the loop's buttons.
import { join } from 'node:path'
import { SHOTS, readStream, uiLogin } from './harness.mjs'
import { untranslated } from './chinese.mjs'

export const warningTests = []
const test = (name, fn) => warningTests.push([name, fn])

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
const POINTS = [[118.3040, 35.0040], [118.3043, 35.0041], [118.3038, 35.0043], [118.3041, 35.0037], [118.3045, 35.0039]]
const made = { cluster: null, keyword: null, numbers: [] }

async function waitWarning (srv, token, kind, count) {
  for (let i = 0; i < 150; i++) {
    const r = await srv.api('GET', '/api/v1/warnings?state=open&kind=' + kind, undefined, token)
    const w = (r.warnings || []).find(x => x.count >= count)
    if (w) return w
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  throw new Error(`no open ${kind} warning of ${count} orders`)
}

test('warnings: appeals raise warnings a leader finds on the dashboard board', async ({ page, base, assert, srv, shot }) => {
  const agent = await srv.login('agent1')
  for (const [i, [lon, lat]] of POINTS.entries()) {
    const o = await srv.api('POST', '/api/v1/orders', {
      channel: 'hotline', type: 'complaint', item: '06028', title: '小区广场舞噪音扰民',
      content: `每晚十点后广场舞音响声音很大，影响休息（第${i + 1}位居民反映）`, lon, lat
    }, agent)
    made.numbers.push(o.number)
  }
  await srv.api('POST', '/api/v1/orders', {
    channel: 'hotline', type: 'complaint', title: '工地拖欠工资', content: '工地拖欠二十多名工人工资三个月，工人说要集体讨薪',
    lon: 118.3060, lat: 35.0060
  }, agent)
  made.cluster = await waitWarning(srv, agent, 'cluster', 5)
  made.keyword = await waitWarning(srv, agent, 'keyword', 1)
  await uiLogin(page, base, 'leader1')
  await page.goto(base + '/dashboard')
  const row = page.locator('[data-test=wb-table] .el-table__row', { hasText: '群发' }).first()
  await row.waitFor()
  assert(await page.locator('[data-test=wb-table] [data-level=red]').count() >= 1, 'a red warning on the board')
  // the row opened: the orders behind it
  await row.locator('.el-table__expand-icon').click()
  const orders = page.locator(`[data-test=wb-orders-${made.cluster.id}]`)
  await orders.waitFor()
  // (the suite's other appeals about noise nearby may have joined the same situation)
  await page.waitForFunction(n => document.querySelectorAll(`[data-test=wb-orders-${n}] tbody tr`).length >= 5, made.cluster.id)
  for (const n of made.numbers) assert((await orders.textContent()).includes(n), 'order behind it: ' + n)
  const bad = await untranslated(page)
  assert(!bad.length, 'the board in Chinese: ' + bad.join(' | '))
  await shot('warnings-board')
  // the warnings page, filtered to red, then in English
  await page.click('[data-test=wb-all]')
  await page.waitForSelector('[data-test=wn-table] .el-table__row')
  await page.click('[data-test=wn-f-level]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '红色' }).first().click()
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=wn-table] [data-level]')].every(e => e.dataset.level === 'red'))
  assert((await page.textContent('[data-test=wn-table]')).includes('维稳关键词'), 'the keyword warning listed')
  await page.click('[data-test=lang]')
  await page.waitForFunction(() => document.querySelector('[data-test=wn-table]').textContent.includes('keyword'))
  await shot('warnings-list-en')
  await page.click('[data-test=lang]')
  // at 1366×768 the list fits the screen's width
  const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
  assert(wide, 'the list fits 1366 wide')
})

test('warnings: a supervisor takes a cluster through its loop', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  const id = made.cluster.id
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/warnings/' + id)
  await page.waitForSelector('[data-test=wd-actions]')
  assert((await page.textContent('[data-test=wd-why]')).includes('300'), 'why: within 300 m')
  // judge: owner and note
  await page.click('[data-test=wd-act-judge]')
  await page.fill('[data-test=wd-owner]', 'super1')
  await page.fill('[data-test=wd-note]', '东关社区广场舞噪音集中，协调社区与城管约谈舞队')
  await page.click('[data-test=wd-go]')
  await page.waitForFunction(() => document.querySelector('[data-test=wd-state]').textContent.includes('已研判'))
  // a colleague moves it first: this page's step is 409 and the page reads it again
  const w = await srv.api('GET', '/api/v1/warnings/' + id, undefined, sup)
  await page.click('[data-test=wd-act-false_alarm]')
  await page.fill('[data-test=wd-note]', '核实为误报')
  await srv.api('POST', `/api/v1/warnings/${id}/actions`, { action: 'handle', version: w.version, order: made.numbers[0] }, sup)
  await page.click('[data-test=wd-go]')
  await page.waitForFunction(() => document.querySelector('[data-test=wd-state]').textContent.includes('已处置'))
  assert((await page.textContent('body')).includes('已被他人处理'), 'the lost race said in Chinese')
  // close it from the page
  await page.click('[data-test=wd-act-close]')
  await page.click('[data-test=wd-go]')
  await page.waitForFunction(() => document.querySelector('[data-test=wd-state]').textContent.includes('已办结'))
  // the loop's steps in order (a level rising as appeals join the situation comes between)
  const steps = (await page.$$eval('[data-test=wd-timeline] [data-action]', els => els.map(e => e.dataset.action))).filter(a => a !== 'escalated')
  assert(JSON.stringify(steps) === JSON.stringify(['raised', 'judge', 'handle', 'close']), 'the timeline: ' + steps)
  assert(await page.locator('[data-test=wd-actions]').count() === 0, 'a closed warning takes no step')
  // its special report (专报), as a PDF to hand to the leaders
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=wd-pdf]')])
  assert(/^预警专报-\d+\.pdf$/.test(pdf.suggestedFilename()), 'the report: ' + pdf.suggestedFilename())
  const bytes = await readStream(await pdf.createReadStream())
  assert(bytes.subarray(0, 4).toString() === '%PDF', 'a PDF file')
  await shot('warnings-closed')
})

test('warnings: a leader reads a warning on a phone', async ({ browser, base, assert }) => {
  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  try {
    await uiLogin(page, base, 'leader1')
    await page.goto(base + '/warnings/' + made.keyword.id)
    await page.waitForSelector('[data-test=wd-facts]')
    assert((await page.textContent('[data-test=wd-why]')).includes('讨薪'), 'the word that raised it')
    assert(await page.locator('[data-test=wd-actions]').count() === 0, 'a leader reads and takes no step')
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
    assert(fits, 'no sideways scrolling at 390 wide')
    await page.screenshot({ path: join(SHOTS, 'warnings-phone.png'), fullPage: true })
  } finally { await context.close() }
})
