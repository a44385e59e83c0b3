// Duplicate candidates the server finds at intake: the intake form shows the server's answer
// while the agent types, and the dispatch desk merges an order into its candidate in one
// click (at 1366x768, the button in view); the order's detail lists them on a phone too.
import { uiLogin } from './harness.mjs'

export const duplicateTests = []
const test = (name, fn) => duplicateTests.push([name, fn])

const PLACE = { item: '2108', lon: 118.3155, lat: 35.0055 } // 东关社区第2网格, away from the other tests
const CALLER = '13500001111'

test('duplicates: the form asks the server, the desk merges in one click', async ({ page, base, assert, shot, srv, browser }) => {
  const agent = await srv.login('agent1')
  const body = { channel: 'hotline', type: 'complaint', ...PLACE, title: '路灯不亮', content: '东关社区二网格的路灯坏了三天，晚上很黑', reporter: { name: '周七', phone: CALLER } }
  const master = await srv.api('POST', '/api/v1/orders', body, agent)
  const dup = await srv.api('POST', '/api/v1/orders', { ...body, lon: PLACE.lon + 0.0002, channel: 'app', content: '东关社区二网格的路灯坏了三天，晚上很黑！' }, agent)
  const reasons = dup.duplicates?.find(c => c.id === master.id)?.reasons.map(r => r.reason)
  assert(reasons?.join() === 'item_near,same_phone,similar_text', 'the intake answer names the three reasons: ' + JSON.stringify(dup.duplicates))

  // the intake form shows what the server finds for what is typed (nothing is created)
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/intake')
  const asked = page.waitForResponse(r => r.url().endsWith('/api/v1/orders/duplicates') && r.ok())
  await page.fill('[data-test=in-phone]', CALLER)
  await page.fill('[data-test=in-title]', '路灯坏了')
  await page.fill('[data-test=in-content]', '想反映一下路灯的事')
  await asked
  await page.waitForSelector(`[data-test=in-dupes] [data-test=dupe-${master.id}]`)
  const why = await page.textContent(`[data-test=in-dupes] [data-test=dupe-${master.id}]`)
  assert(why.includes('同一来电号码'), 'the reason in words: ' + why)
  await shot('intake-duplicates')

  // the dispatch desk: the candidate beside the order, merged in one click
  await page.goto(base + '/dispatch')
  const row = page.locator(`.el-table__row:has([data-test=order-${dup.id}])`)
  await row.waitFor()
  const button = row.locator(`[data-test=dupe-merge-${master.id}]`)
  await button.waitFor()
  // in view as the desk opens at 1366x768, without scrolling the table sideways
  const box = await button.boundingBox()
  assert(box && box.x >= 0 && box.x + box.width <= 1366 && box.y + box.height <= 768, 'the merge button is in view at 1366x768: ' + JSON.stringify(box))
  const text = await row.locator(`[data-test=dupe-${master.id}]`).textContent()
  assert(text.includes('同类') && text.includes('米') && text.includes('同号码') && text.includes('相似'), 'the desk says why: ' + text)
  await shot('dispatch-duplicates')
  await button.click()
  await page.waitForSelector('.el-message--success')
  const after = await srv.api('GET', `/api/v1/orders/${dup.id}`, undefined, agent)
  assert(after.state === 'merged' && after.master === master.id, 'merged into its candidate: ' + after.state)
  await row.waitFor({ state: 'detached' })

  // the order's detail lists its candidates, on a phone too
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const phone = await ctx.newPage()
  try {
    await uiLogin(phone, base, 'agent1')
    await phone.goto(base + '/orders/' + dup.id)
    await phone.waitForSelector(`[data-test=o-dupes] [data-test=dupe-${master.id}]`)
    await phone.screenshot({ path: (await import('./harness.mjs')).SHOTS + '/order-duplicates-390.png', fullPage: true })
  } finally {
    await ctx.close()
  }
})
