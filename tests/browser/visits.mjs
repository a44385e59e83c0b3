// A grid worker's visit on the phone (390x844): the person due a visit is listed; the visit
// is recorded without signal (context.setOffline), kept on the phone and counted as waiting;
// when the signal returns it is sent, once — the server holds one visit under the phone's
// key however often the phone tries. A patrol walked without signal is sent whole too.
import { shot } from './harness.mjs'

export const visitTests = []
const test = (name, fn) => visitTests.push([name, fn])

test('visits on a phone: recorded offline, sent once when back online (390x844)', async ({ browser, base, assert, srv }) => {
  const worker = await srv.login('grid1')
  const p = await srv.api('POST', '/api/v1/persons', { id_number: '371302194501010015', name: '孙奶奶', residence: 'registered', grid: '371302001001001', care: ['alone'] }, worker)
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  try {
    const { uiLogin } = await import('./harness.mjs')
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    await page.getByRole('tab', { name: '走访' }).click()
    await page.locator('[data-test=v-refresh]').click()
    const card = page.locator(`[data-test=v-due-${p.id}]`)
    await page.locator('[data-test=v-all]').click()
    await card.waitFor()
    assert((await card.textContent()).includes('孙*'), 'the person is named masked: ' + await card.textContent())
    assert((await card.textContent()).includes('独居老人'), 'the group is said')
    await shot(page, 'mobile-visits-due-390')

    // no signal: the visit is kept on the phone
    await ctx.setOffline(true)
    await page.locator(`[data-test=v-record-${p.id}]`).click()
    await page.locator('[data-test=v-content]').fill('上门查看，老人身体尚好')
    await page.locator('[data-test=v-findings]').fill('屋内插线板老化')
    await page.locator('[data-test=v-submit]').click()
    await page.locator('[data-test=v-pending]').waitFor()
    assert((await page.textContent('[data-test=v-pending]')).includes('1 条'), 'one record waits')
    await page.locator(`[data-test=v-recorded-${p.id}]`).waitFor()
    await page.locator('[data-test=v-content]').waitFor({ state: 'hidden' })
    await shot(page, 'mobile-visit-offline-390')
    // this person's visits only: other tests record visits in the same grid
    const mine = `/api/v1/visits?grid=371302001001001&subject_kind=person&subject_id=${p.id}`
    let visits = await srv.api('GET', mine, undefined, worker)
    assert(visits.visits.length === 0, 'nothing reached the server without signal')

    // the signal returns: sent, once, even when the phone tries again
    await ctx.setOffline(false)
    await page.locator('[data-test=v-pending]').waitFor({ state: 'detached', timeout: 30000 })
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await page.waitForTimeout(500)
    visits = await srv.api('GET', mine, undefined, worker)
    assert(visits.visits.length === 1, 'one visit: ' + JSON.stringify(visits))
    const v = visits.visits[0]
    assert(v.subject.id === p.id && v.worker === 'grid1' && v.findings === '屋内插线板老化' && v.client_key, 'as recorded: ' + JSON.stringify(v))
    // the phone sends it again (its answer was lost): the server answers the same visit
    const again = await page.evaluate(async body => {
      const token = sessionStorage.getItem('wg-token')
      const res = await fetch('/api/v1/visits', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token }, body: JSON.stringify(body) })
      return res.status
    }, { client_key: v.client_key, subject: { kind: 'person', id: p.id }, method: 'door', content: 'x' })
    visits = await srv.api('GET', mine, undefined, worker)
    assert(visits.visits.length === 1, `still one visit (the repeat answered ${again})`)
    await page.locator('[data-test=v-refresh]').click()
    await page.waitForFunction(id => /上次走访/.test(document.querySelector(`[data-test=v-due-${id}]`)?.textContent || ''), p.id)
    await shot(page, 'mobile-visit-sent-390')
    // a finding made an order: the order's page says which visit it came from
    const made = await srv.api('POST', '/api/v1/visits', { subject: { kind: 'person', id: p.id }, method: 'door', content: '复访', findings: '楼道灯坏了', order: true, lon: 118.305, lat: 35.005 }, worker)
    await page.goto(base + '/orders/' + made.order.id)
    await page.locator('[data-test=source]').waitFor()
    assert((await page.textContent('[data-test=source]')).includes('来自走访 #' + made.id), 'the order names its visit')
    if (errors.length) throw new Error('script errors: ' + errors.join('; '))
  } finally {
    await ctx.close()
  }
})

test('patrol on a phone: walked without signal, sent whole (390x844)', async ({ browser, base, assert, srv }) => {
  const worker = await srv.login('grid1')
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['geolocation'], geolocation: { longitude: 118.305, latitude: 35.005 } })
  const page = await ctx.newPage()
  try {
    const { uiLogin } = await import('./harness.mjs')
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    await page.getByRole('tab', { name: '巡查' }).click()
    await page.locator('[data-test=p-grid]').click()
    await page.getByRole('option', { name: '东关社区第1网格' }).click()
    await ctx.setOffline(true)
    await page.locator('[data-test=p-start]').click()
    await page.locator('[data-test=p-points]').waitFor()
    await ctx.setGeolocation({ longitude: 118.306, latitude: 35.006 })
    await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-test=p-points]')?.textContent || ''))
    await shot(page, 'mobile-patrol-390')
    await page.locator('[data-test=p-stop]').click()
    let list = await srv.api('GET', '/api/v1/patrols?grid=371302001001001', undefined, worker)
    assert(list.patrols.length === 0, 'nothing reached the server without signal')
    await ctx.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    for (let i = 0; i < 60; i++) {
      list = await srv.api('GET', '/api/v1/patrols?grid=371302001001001', undefined, worker)
      if (list.patrols.length && list.patrols[0].stopped_at) break
      await page.waitForTimeout(500)
    }
    assert(list.patrols.length === 1 && list.patrols[0].stopped_at, 'the patrol arrived, stopped: ' + JSON.stringify(list))
    const full = await srv.api('GET', `/api/v1/patrols/${list.patrols[0].id}`, undefined, worker)
    assert(full.track.length >= 1 && full.checks.length >= 1, 'its track and checks: ' + JSON.stringify(full))
  } finally {
    await ctx.close()
  }
})

// A grid worker's day on the phone, in one walk: the appeals of the grid in 我的 with their
// time left; the visits due, one recorded with a finding that becomes an order at once; a
// patrol walked with its checklist; a problem reported; the visit's order names its visit.
test('a grid worker\'s day on the phone (390x844)', async ({ browser, base, assert, srv }) => {
  const worker = await srv.login('grid1')
  const agent = await srv.login('agent1')
  const p = await srv.api('POST', '/api/v1/persons', { id_number: '37130219380505002X', name: '钱奶奶', residence: 'registered', grid: '371302001001001', care: ['alone', 'over80'] }, worker)
  const appeal = await srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', title: '楼道堆放杂物', content: '3号楼一单元楼道堆放杂物影响通行', lon: 118.3041, lat: 35.0041 }, agent)
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['geolocation'], geolocation: { longitude: 118.3045, latitude: 35.0045 } })
  const page = await ctx.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  try {
    const { uiLogin } = await import('./harness.mjs')
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    // morning: the grid's appeal is in 我的, the newest first under 全部 (the open ones are by
    // deadline, and the suite's other orders share the grid)
    await page.locator('.toolbar').getByText('全部', { exact: true }).click()
    await page.locator(`[data-test=m-order-${appeal.id}]`).waitFor()
    // the visits due: the old lady living alone, visited, the finding an order at once
    await page.getByRole('tab', { name: '走访' }).click()
    await page.locator('[data-test=v-all]').click()
    await page.locator(`[data-test=v-due-${p.id}]`).waitFor()
    await page.locator(`[data-test=v-record-${p.id}]`).click()
    await page.locator('[data-test=v-content]').fill('上门看望钱奶奶，身体尚好，叮嘱天冷注意保暖')
    await page.locator('[data-test=v-findings]').fill('老人家中烟感报警器不响，需要更换')
    await page.locator('[data-test=v-order]').click()
    await page.locator('[data-test=v-gps]').click()
    await page.locator('[data-test=v-submit]').click()
    await page.locator(`[data-test=v-recorded-${p.id}]`).waitFor()
    // the day's visit is the one to this person (the suite made others in this grid before)
    let visits = { visits: [] }
    const mine = () => visits.visits.find(v => v.subject.id === p.id)
    for (let i = 0; i < 40 && !(mine() && mine().order); i++) {
      visits = await srv.api('GET', '/api/v1/visits?grid=371302001001001', undefined, worker)
      await page.waitForTimeout(250)
    }
    const visit = mine()
    assert(visit && visit.order && visit.findings.includes('烟感'), 'the visit and its order: ' + JSON.stringify(visits))
    // the afternoon's patrol, its checklist ticked: the grid's newest (the suite walked
    // others in this grid before)
    const before = (await srv.api('GET', '/api/v1/patrols?grid=371302001001001', undefined, worker)).patrols.length
    await page.getByRole('tab', { name: '巡查' }).click()
    await page.locator('[data-test=p-grid]').click()
    await page.getByRole('option', { name: '东关社区第1网格' }).click()
    await page.locator('[data-test=p-start]').click()
    await page.locator('[data-test=p-points]').waitFor()
    await ctx.setGeolocation({ longitude: 118.3055, latitude: 35.0058 })
    await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-test=p-points]')?.textContent || ''))
    await page.locator('[data-test=p-check-0]').click()
    await page.locator('[data-test=p-stop]').click()
    let patrols = { patrols: [] }
    for (let i = 0; i < 40 && !(patrols.patrols.length > before && patrols.patrols[0].stopped_at); i++) {
      patrols = await srv.api('GET', '/api/v1/patrols?grid=371302001001001', undefined, worker)
      await page.waitForTimeout(250)
    }
    assert(patrols.patrols.length > before && patrols.patrols[0].stopped_at, 'the patrol, stopped: ' + JSON.stringify(patrols))
    // a problem seen on the way, reported
    await page.getByRole('tab', { name: '上报问题' }).click()
    await page.fill('[data-test=m-title]', '井盖松动')
    await page.fill('[data-test=m-content]', '东关社区第1网格健身广场旁井盖松动，行人经过有响声')
    await page.click('[data-test=m-gps]')
    await page.waitForFunction(() => document.querySelector('[data-test=m-where]').textContent.includes('网格'))
    await page.click('[data-test=m-submit]')
    await page.waitForURL(/\/orders\/\d+$/)
    // evening: the visit's order names the visit it came from, and 我的 still opens (the
    // list is paged by deadline, and the suite's other orders share the grid)
    await page.goto(base + '/orders/' + visit.order.id)
    await page.locator('[data-test=source]').waitFor()
    assert((await page.textContent('[data-test=source]')).includes('走访'), 'the order names its visit')
    await page.goto(base + '/mobile')
    await page.locator('[data-test^=m-order-]').first().waitFor()
    await shot(page, 'mobile-grid-worker-day-390')
    if (errors.length) throw new Error('script errors: ' + errors.join('; '))
  } finally {
    await ctx.close()
  }
})
