// The desks at any size: the dispatch desk paged through its cursor at 1366x768 and 390x844
// (every order once, the total shown, one list request a page and none per order), and the
// grid worker's list with lights and the working time left.
import { uiLogin, shot } from './harness.mjs'

export const deskTests = []
const test = (name, fn) => deskTests.push([name, fn])

const ROWS = '[data-test=orders] [data-test^=order-]'

// Every order id of the desk's pages, paging forward to the end, and the requests it made.
async function pageThrough (page, assert) {
  const lists = []
  const details = []
  const seen = r => {
    const u = new URL(r.url())
    if (u.pathname === '/api/v1/orders') lists.push(u.search)
    else if (/^\/api\/v1\/orders\/\d+$/.test(u.pathname)) details.push(u.pathname)
  }
  page.on('request', seen)
  const ids = []
  let pages = 0
  for (;;) {
    await page.waitForSelector(ROWS)
    pages++
    const here = await page.$$eval(ROWS, els => els.map(e => e.dataset.test))
    ids.push(...here)
    const next = page.locator('[data-test=pager-next]')
    if (await next.isDisabled()) break
    const shown = await page.textContent('[data-test=pager-page]')
    await next.click()
    await page.waitForFunction(s => document.querySelector('[data-test=pager-page]').textContent !== s, shown)
  }
  page.off('request', seen)
  assert(new Set(ids).size === ids.length, `no order twice across ${pages} pages`)
  assert(details.length === 0, `no request per order (${details.length})`)
  assert(lists.length === pages - 1, `one list request a page (${lists.length} for ${pages - 1} more pages)`)
  return { ids, pages }
}

test('the dispatch desk pages through its cursor at 1366x768 and 390x844', async ({ browser, page, base, assert, srv }) => {
  const agent = await srv.login('agent1')
  for (let i = 0; i < 57; i++) {
    await srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', item: '06028', title: `占道经营${i}`, content: '早市摊贩占用人行道', lon: 118.3055, lat: 35.0055, urgency: i % 7 ? 'normal' : 'urgent' }, agent)
  }
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/dispatch')
  await page.waitForSelector(ROWS)
  const total = Number((await page.textContent('[data-test=pager-total]')).replace(/\D/g, ''))
  assert(total >= 57, `the desk's total is shown (${total})`)
  await shot(page, 'desk-dispatch-1366')
  const wide = await pageThrough(page, assert)
  assert(wide.pages >= 2 && wide.ids.length === total, `every order of the desk once (${wide.ids.length} of ${total})`)
  await shot(page, 'desk-dispatch-1366-last')

  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const small = await ctx.newPage()
  try {
    await uiLogin(small, base, 'agent1')
    await small.goto(base + '/dispatch')
    await small.waitForSelector(ROWS)
    await shot(small, 'desk-dispatch-390')
    const narrow = await pageThrough(small, assert)
    assert(narrow.ids.length === wide.ids.length, 'the same orders at either size')
    await shot(small, 'desk-dispatch-390-last')
  } finally { await ctx.close() }
})

test('the grid worker\'s desk shows lights and the time left, nearest deadline first', async ({ browser, base, assert, srv }) => {
  const agent = await srv.login('agent1')
  const o = await srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', item: '06028', title: '井盖缺失', content: '东关社区路口井盖缺失', lon: 118.3055, lat: 35.0055 }, agent)
  await srv.api('POST', `/api/v1/orders/${o.id}/actions/dispatch`, { unit: 'cgzf' }, agent, { 'If-Match': '"1"' })
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  try {
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    await page.waitForSelector(`[data-test=m-order-${o.id}]`)
    const card = page.locator(`[data-test=m-order-${o.id}]`)
    assert(await card.locator('[data-light]').count() === 1, 'the order shows its light')
    const left = await page.textContent(`[data-test=m-remaining-${o.id}]`)
    assert(/剩|超期|即将/.test(left), `the working time left is shown (${left})`)
    await shot(page, 'desk-mobile-lights')
  } finally { await ctx.close() }
})
