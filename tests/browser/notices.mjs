// Notifications, the 督办 list and the callback desk's wait (issue 18, items 3 and 9): the
// bell's unread count in the frame, the list with marking read, on a desk (1366×768) and on
// a grid worker's phone (390×844); supervised orders listed with their badges; the callback
// desk's deadline and waiting time.
import { uiLogin, shot } from './harness.mjs'

export const noticeTests = []
const test = (name, fn) => noticeTests.push([name, fn])

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }

async function newOrder (srv, token, title) {
  return srv.api('POST', '/api/v1/orders', { channel: 'hotline', type: 'complaint', item: '06028', title, content: title + '，请尽快处理', lon: 118.305, lat: 35.005 }, token)
}

async function act (srv, token, order, action, body = {}) {
  return srv.api('POST', `/api/v1/orders/${order.id}/actions/${action}`, body, token, { 'If-Match': `"${order.version}"` })
}

async function badge (page) {
  const b = page.locator('[data-test=bell-badge] .el-badge__content')
  return (await b.count()) && (await b.isVisible()) ? (await b.textContent()).trim() : ''
}

async function unread (srv, token) {
  return (await srv.api('GET', '/api/v1/notifications?limit=1', undefined, token)).unread
}

test('notifications: the bell counts unread, the list marks read (1366×768)', async ({ page, base, srv, assert }) => {
  const agent = await srv.login('agent1')
  const handler = await srv.login('handler1')
  const other = await newOrder(srv, agent, '路面塌陷')
  await act(srv, agent, other, 'dispatch', { unit: 'cgzf' })
  let o = await newOrder(srv, agent, '井盖缺失')
  o = await act(srv, agent, o, 'dispatch', { unit: 'cgzf' })
  const n = await unread(srv, handler)
  assert(n >= 2, 'the unit was told of both dispatches')
  await uiLogin(page, base, 'handler1')
  await page.waitForFunction(() => document.querySelector('[data-test=bell-badge] .el-badge__content'))
  assert(await badge(page) === String(Math.min(n, 99)).replace(/^(\d+)$/, n > 99 ? '99+' : '$1'), `the bell shows ${n}`)
  await page.click('[data-test=bell]')
  await page.waitForURL(/\/notices$/)
  const item = page.locator('.notice', { hasText: o.number })
  await item.first().waitFor()
  assert((await item.first().textContent()).includes('新派单'), 'the kind in Chinese')
  await shot(page, 'notices-1366')
  const id = (await item.first().getAttribute('data-test')).slice(2)
  await page.click(`[data-test=n-read-${id}]`)
  await page.waitForFunction(sel => !document.querySelector(sel), `[data-test=n-read-${id}]`)
  assert(await unread(srv, handler) === n - 1, 'one fewer unread')
  await page.click('[data-test=n-mark-all]')
  await page.waitForFunction(() => !document.querySelector('[data-test=bell-badge] .el-badge__content') ||
    getComputedStyle(document.querySelector('[data-test=bell-badge] .el-badge__content')).display === 'none')
  assert(await unread(srv, handler) === 0, 'all read')
  await page.click('[data-test=n-only-all]')
  await page.locator(`[data-test="n-${id}"][data-read="1"]`).waitFor()
  await shot(page, 'notices-read-1366')
  await page.click('[data-test=n-only-unread]')
  await page.waitForSelector('[data-test=n-empty]')
})

test('notifications: a grid worker hears of an appeal in the grid on the phone (390×844)', async ({ browser, base, srv, assert }) => {
  const agent = await srv.login('agent1')
  const o = await newOrder(srv, agent, '绿化带垃圾堆放')
  const ctx = await browser.newContext(PHONE)
  const page = await ctx.newPage()
  try {
    await uiLogin(page, base, 'grid1')
    await page.waitForURL(/\/mobile$/)
    await page.waitForFunction(() => document.querySelector('[data-test=bell-badge] .el-badge__content'))
    assert(await badge(page) !== '', 'the bell shows a count on the phone')
    await page.click('[data-test=bell]')
    await page.waitForURL(/\/notices$/)
    const item = page.locator('.notice', { hasText: o.number }).first()
    await item.waitFor()
    assert((await item.textContent()).includes('网格内新诉求'), 'told of a new appeal in the grid')
    const wide = await page.evaluate(() => document.documentElement.scrollWidth)
    assert(wide <= 390, `the list fits the phone (${wide} px)`)
    await shot(page, 'notices-390')
    await item.locator('a.link').click()
    await page.waitForURL(new RegExp(`/orders/${o.id}$`))
    const left = await srv.api('GET', '/api/v1/notifications?unread=1&limit=1000', undefined, await srv.login('grid1'))
    assert(!left.notifications.some(r => r.order_id === o.id), 'opening it marked it read')
  } finally { await ctx.close() }
})

test('the supervised list shows supervised orders with their badges', async ({ page, browser, base, srv, assert }) => {
  const agent = await srv.login('agent1')
  const sup = await srv.login('super1')
  let o = await newOrder(srv, agent, '违规占道经营')
  o = await act(srv, agent, o, 'dispatch', { unit: 'cgzf' })
  o = await act(srv, sup, o, 'supervise', { level: 'red', reason: '群众反映强烈' })
  await uiLogin(page, base, 'super1')
  await page.click('[data-test=nav-supervised]')
  await page.waitForURL(/\/supervised$/)
  const b = page.locator(`[data-test=sup-${o.id}]`)
  await b.waitFor()
  assert((await b.textContent()).trim() === '红牌督办', 'the red badge')
  const rows = await page.locator('[data-test^=order-]').count()
  const listed = await srv.api('GET', '/api/v1/orders?supervised=1&limit=50', undefined, sup)
  assert(rows === listed.orders.length, `the page lists the supervised orders (${rows})`)
  assert(listed.orders.every(x => x.supervised), 'only supervised ones')
  await shot(page, 'supervised-1366')
  // the badge in the plain order list too
  await page.goto(base + '/orders')
  await page.locator(`[data-test=sup-${o.id}]`).waitFor()
  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  try {
    await uiLogin(phone, base, 'super1')
    await phone.goto(base + '/supervised')
    await phone.locator(`[data-test=sup-${o.id}]`).waitFor()
    await shot(phone, 'supervised-390')
  } finally { await ctx.close() }
})

test('the callback desk shows the callback deadline and how long it has waited', async ({ page, base, srv, assert }) => {
  const agent = await srv.login('agent1')
  let o = await newOrder(srv, agent, '咨询供暖时间')
  o = await act(srv, agent, o, 'answer', { answer: '供暖自11月15日开始' })
  assert(o.callback && o.callback.deadline, 'the order carries its callback deadline')
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/callback')
  const deadline = page.locator(`[data-test=cb-deadline-${o.id}]`)
  await deadline.waitFor()
  assert(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await deadline.textContent()), 'a deadline in China time')
  assert(/分钟|小时|天/.test(await page.locator(`[data-test=cb-waited-${o.id}]`).textContent()), 'a waiting time')
  await shot(page, 'callback-wait-1366')
})
