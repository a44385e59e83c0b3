// Calling the resident on the order's page: the unit's handler reveals the reporter's phone
// with a reason (a tel: link to dial), records the contact, and sees it on the timeline and
// in the order's first contact; at 1366×768 and on a 390×844 phone. The order is made and
// dispatched through the API.
import { PASSWORD, shot as shotOf, uiLogin } from './harness.mjs'

export const contactTests = []
const test = (name, fn) => contactTests.push([name, fn])

const PHONE = '13712345678'

async function order (srv) {
  const agent = await srv.login('agent1', PASSWORD)
  const o = await srv.api('POST', '/api/v1/orders', {
    channel: 'hotline', type: 'complaint', item: '06028', title: '夜间施工噪声', content: '工地每晚十点后仍在施工',
    lon: 118.303, lat: 35.003, reporter: { name: '王五', phone: PHONE }
  }, agent)
  return srv.api('POST', `/api/v1/orders/${o.id}/actions/dispatch`, { unit: 'cgzf' }, agent, { 'If-Match': `"${o.version}"` })
}

async function revealAndContact (page, base, srv, id, assert, shot, prefix) {
  await uiLogin(page, base, 'handler1')
  await page.goto(`${base}/orders/${id}`)
  await page.waitForSelector('[data-test=reveal]')
  assert((await page.textContent('[data-test=reporter-masked]')).includes('137****5678'), 'masked first')
  assert((await page.textContent('[data-test=contact-deadline]')).trim() !== '—', 'the contact deadline is shown')
  assert((await page.textContent('[data-test=first-contact]')).includes('尚未联系'), 'not yet contacted')
  await shot(prefix + '-before')

  // the reason is asked for; too short is refused in the box, before anything is sent
  await page.click('[data-test=reveal]')
  await page.waitForSelector('.reveal-box input')
  await page.fill('.reveal-box input', ' a ')
  await page.click('.reveal-box .el-button--primary')
  await page.waitForSelector('.reveal-box .el-message-box__errormsg')
  await page.fill('.reveal-box input', '联系群众协商处理时间')
  await shot(prefix + '-reason')
  await page.click('.reveal-box .el-button--primary')
  await page.waitForSelector('[data-test=reporter-tel]')
  assert(await page.getAttribute('[data-test=reporter-tel]', 'href') === 'tel:' + PHONE, 'a tel: link to dial')
  assert((await page.textContent('[data-test=reporter]')).includes('王五'), 'the name too')
  await shot(prefix + '-revealed')

  // the contact: reached by phone, with a note
  await page.click('[data-test=act-contact]')
  await page.waitForSelector('[data-test=act-submit]')
  await page.fill('.el-dialog textarea', '已与群众电话沟通，约定明早上门')
  await shot(prefix + '-contact-form')
  await page.click('[data-test=act-submit]')
  await page.waitForSelector('.el-message--success')
  await page.waitForFunction(() => document.querySelector('[data-test=first-contact]')?.textContent.includes('已联系上'))
  const first = await page.textContent('[data-test=first-contact]')
  assert(first.includes('电话') && first.includes('按时'), 'first contact: by phone, in time: ' + first)
  const timeline = await page.textContent('[data-test=timeline]')
  assert(timeline.includes('联系诉求人') && timeline.includes('已联系上') && timeline.includes('约定明早上门'), 'on the timeline in Chinese')
  assert(!timeline.includes('reached') && !timeline.includes('means'), 'no field names on the timeline')
  await shot(prefix + '-contacted')

  // the audit log has the reveal with its reason (read through the API by the auditor)
  const auditor = await srv.login('audit1', PASSWORD)
  const log = await srv.api('GET', '/api/v1/audit?action=pii.reveal', undefined, auditor)
  const rec = log.records.find(r => r.object_id === String(id) && r.actor === 'handler1')
  assert(rec && rec.detail.includes('联系群众协商处理时间') && !rec.detail.includes(PHONE), 'the reveal is on the record, without the number')
}

test('order detail: reveal the phone and record the contact (1366x768)', async ({ page, base, srv, assert, shot }) => {
  const o = await order(srv)
  await revealAndContact(page, base, srv, o.id, assert, shot, 'contact-desktop')
})

test('order detail: reveal and contact on a phone (390x844)', async ({ browser, base, srv, assert }) => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  try {
    const o = await order(srv)
    await revealAndContact(page, base, srv, o.id, assert, n => shotOf(page, n), 'contact-phone')
    assert(!errors.length, 'no script errors: ' + errors.join('; '))
  } finally { await ctx.close() }
})

test('order detail in English: the contact and the reveal read in English', async ({ page, base, srv, assert }) => {
  const o = await order(srv)
  await uiLogin(page, base, 'agent1')
  await page.goto(`${base}/orders/${o.id}`)
  await page.waitForSelector('[data-test=reveal]')
  await page.click('[data-test=lang]')
  await page.waitForSelector('text=Reveal phone')
  assert((await page.textContent('[data-test=first-contact]')).includes('not yet'), 'first contact in English')
  await page.click('[data-test=lang]')
  await page.waitForSelector('text=查看号码')
})
