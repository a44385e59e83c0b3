// The wish wall and 一事一议 as their users walk them: a resident files a 心愿 on the portal; a
// grid worker at 1366×768 publishes it in public words from the order, records a party
// member's claim and the fulfilment; the resident, on a phone at 390×844, sees its progress
// on the appeal page, confirms it with thanks and finds it on the wall. A community worker
// walks a deliberation's branch discussion, council vote and resolution on its page; once its
// task is done and its notice published, the phone's notices board shows it.
import { uiLogin, shot as shotOf } from './harness.mjs'
import { untranslated } from './chinese.mjs'

// The words a page shows that are not Chinese (chinese.mjs), once its names have arrived
async function english (page) {
  await page.waitForLoadState('networkidle')
  let bad = await untranslated(page)
  for (let i = 0; bad.length && i < 6; i++) {
    await page.waitForTimeout(500)
    bad = await untranslated(page)
  }
  return bad
}

export const wishTests = []
const test = (name, fn) => wishTests.push([name, fn])

const GRID = '371302001001001' // 东关社区第1网格
const VILLAGE = '371302001001'
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

function residentId (seq) {
  const body = '37130219650315' + String(seq).padStart(3, '0')
  const sum = [...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0)
  return body + '10X98765432'[sum % 11]
}

function today (offset = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offset * 86400 * 1000).toISOString().slice(0, 10)
}

async function pick (page, selector, text) {
  await page.click(selector)
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

async function number (page, selector, value) {
  await page.fill(`${selector} input`, String(value))
  await page.locator(`${selector} input`).blur()
}

test('wishes: a 心愿 from the portal published, claimed, fulfilled and confirmed by the resident', async ({ page, browser, base, assert, srv, shot }) => {
  // the resident's appeal, filed on the portal
  const appeal = await srv.api('POST', '/api/v1/public/appeals', {
    type: 'green', text: '我家老人腿脚不便，想请人每周帮忙买一次菜', lon: 118.3032, lat: 35.0031,
    source: 'gps', address: '东关社区5号楼'
  })
  const grid = await srv.login('grid1')
  const member = await srv.api('POST', '/api/v1/persons', {
    id_number: residentId(421), name: '王建国', residence: 'registered', grid: GRID, political: 'party_member'
  }, grid)
  const branch = await srv.api('POST', '/api/v1/party/orgs', { name: '东关社区第1网格党支部（心愿）', kind: 'branch', grid: GRID }, grid)
  await srv.api('POST', `/api/v1/party/orgs/${branch.id}/members`, { person: member.id, role: 'member' }, grid)

  // the grid worker publishes it from the order, in public words
  await uiLogin(page, base, 'grid1')
  await page.goto(base + '/wishes')
  await page.click('[data-test=ws-new]')
  await pick(page, '[data-test=ws-order]', appeal.number)
  await page.fill('[data-test=ws-title]', '帮腿脚不便的老人每周买菜')
  await page.fill('[data-test=ws-story]', '联系电话13905391234')
  await page.click('[data-test=ws-save]')
  await page.waitForFunction(() => document.querySelector('[data-test=ws-dialog]').textContent.includes('story'))
  await page.fill('[data-test=ws-story]', '东关社区一位腿脚不便的老人，希望有人每周帮忙买一次菜。')
  await shot('wishes-publish')
  await page.click('[data-test=ws-save]')
  await page.waitForSelector('[data-test=ws-claim-form]')
  assert((await page.textContent('[data-test=ws-d-state]')).includes('待认领'), 'published')
  await number(page, '[data-test=ws-person]', member.id)
  await page.click('[data-test=ws-claim]')
  await page.waitForSelector('[data-test=ws-fulfil-form]')
  assert((await page.textContent('[data-test=ws-drawer]')).includes('党员 王*'), 'the claimant masked')
  await page.fill('[data-test=ws-note]', '党员志愿者每周六上午帮老人采购蔬菜和日用品')
  await page.click('[data-test=ws-fulfil]')
  await page.waitForFunction(() => document.querySelector('[data-test=ws-d-state]').textContent.includes('已实现'))
  await shot('wishes-drawer')
  let bad = await english(page)
  assert(!bad.length, 'the wish in Chinese: ' + bad.join(' '))

  // the resident, on a phone, confirms it on the appeal page
  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  await phone.goto(base + '/m/')
  await phone.click('[data-test=tab-follow]')
  await phone.fill('[data-test=code-input]', appeal.code)
  await phone.click('[data-test=look]')
  await phone.waitForSelector('[data-test=wish-form]')
  assert((await phone.textContent('[data-test=wish]')).includes('党员 王*'), 'the progress and the claimant')
  await phone.fill('[data-test=wish-thanks]', '菜买得很新鲜，谢谢党员同志！')
  await phone.click('[data-test=wish-confirm]')
  await phone.waitForSelector('[data-test=wish-done]')
  await shotOf(phone, 'portal-wish-confirmed')
  await phone.click('[data-test=tab-wishes]')
  await phone.waitForSelector('[data-test=wish-state]')
  const wall = await phone.textContent('main')
  assert(wall.includes('帮腿脚不便的老人每周买菜') && wall.includes('已确认') && wall.includes('谢谢党员同志'), 'on the wall, confirmed')
  assert(!wall.includes('13905391234') && !wall.includes('王建国'), 'no identity on the wall')
  await shotOf(phone, 'portal-wish-wall')
  await ctx.close()

  await page.reload()
  await page.waitForSelector('[data-test=ws-table]')
  assert((await page.textContent('[data-test=ws-table]')).includes('居民已确认'), 'the staff list sees the confirmation')
  bad = await english(page)
  assert(!bad.length, 'the wall in Chinese: ' + bad.join(' '))
})

test('deliberations: a community worker walks the stages; the notice shows on the phone', async ({ page, browser, base, assert, srv, shot }) => {
  const comm = await srv.login('comm1')
  const agent = await srv.login('agent1')
  const order = await srv.api('POST', '/api/v1/orders', {
    channel: 'hotline', type: 'complaint', item: '06028', title: '小区停车难',
    content: '东关社区5号楼前车辆乱停，消防通道被堵', lon: 118.305, lat: 35.005
  }, agent)
  const committee = await srv.api('POST', '/api/v1/party/orgs', { name: '东关社区党委（议事）', kind: 'committee', region: VILLAGE }, comm)
  await srv.api('POST', '/api/v1/units', { id: 'xfwy', name: '鑫福物业服务有限公司', kind: 'department' }, srv.admin)
  const d = await srv.api('POST', '/api/v1/deliberations', {
    topic: '5号楼前空地改建停车位', place: VILLAGE, origin: [{ kind: 'order', id: order.id }]
  }, comm)

  await uiLogin(page, base, 'comm1')
  await page.goto(base + '/deliberations')
  await page.click(`[data-test=dl-row-${d.id}]`)
  await page.waitForSelector('[data-test=dd-form]')
  await pick(page, '[data-test=dd-party-org]', committee.name)
  await number(page, '[data-test=dd-attendees]', 9)
  await page.fill('[data-test=dd-opinion]', '支部委员一致同意提交居民议事会')
  await page.click('[data-test=dd-go]')
  await page.waitForFunction(() => document.querySelector('[data-test=dd-state]').textContent.includes('待议事会'))
  await number(page, '[data-test=dd-attendees]', 41)
  await number(page, '[data-test=dd-for]', 30)
  await number(page, '[data-test=dd-against]', 8)
  await number(page, '[data-test=dd-abstain]', 3)
  await page.click('[data-test=dd-go]')
  await page.waitForSelector('[data-test=dd-votes]')
  assert((await page.textContent('[data-test=dd-votes]')).includes('赞成 30'), 'the votes shown')
  await page.fill('[data-test=dd-text]', '同意将5号楼前空地改建为停车位，由物业公司实施')
  await page.click('[data-test=dd-go]')
  await page.waitForSelector('[data-test=dd-passed]')
  assert((await page.textContent('[data-test=dd-passed]')).includes('通过'), 'more than half: passed')
  await shot('deliberation-detail')
  const bad = await english(page)
  assert(!bad.length, 'the deliberation in Chinese: ' + bad.join(' '))

  // the task, its report and the notice through the API; the phone's board shows the notice
  let cur = await srv.api('GET', `/api/v1/deliberations/${d.id}`, undefined, comm)
  for (const body of [
    { step: 'task', what: '施划停车位并安装道闸', lead_unit: 'xfwy', deadline: today(30) },
    { step: 'task_done', report: '已施划停车位20个' },
    { step: 'notice', text: '经居民议事会表决通过，5号楼前空地已改建为停车位，欢迎居民监督。', from: today(), until: today(14) }
  ]) cur = await srv.api('POST', `/api/v1/deliberations/${d.id}/steps`, body, comm, { 'If-Match': `"${cur.version}"` })
  await page.reload()
  await page.waitForFunction(() => document.querySelector('[data-test=dd-state]')?.textContent.includes('公示中'))
  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  await phone.goto(base + '/m/')
  await phone.click('[data-test=tab-notices]')
  await phone.waitForSelector(`[data-test=notice-${d.id}]`)
  const notice = await phone.textContent(`[data-test=notice-${d.id}]`)
  assert(notice.includes('5号楼前空地改建停车位') && notice.includes('表决通过') && notice.includes('鑫福物业'), 'the notice on the board: ' + notice)
  await shotOf(phone, 'portal-notices')
  await phone.click('[data-test=lang]')
  assert((await phone.textContent(`[data-test=notice-${d.id}]`)).includes('Passed'), 'English on request')
  await phone.click('[data-test=lang]')
  await ctx.close()
})
