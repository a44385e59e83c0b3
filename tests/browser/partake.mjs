// 一长二员, volunteers and mobilisation as their users walk them: a grid worker on a phone
// (390×844) opens the grid's stairwells, sees a team's coverage, records a visit for an
// unvisited household and sees it counted (and in the registry's visits); the community's
// staff redeem a volunteer's points — refused past the balance with the server's message,
// then taken; a supervisor broadcasts a mobilisation and the grid worker, on the phone,
// acknowledges it and reports it done. Every page in Chinese.
import { PASSWORD, uiLogin } from './harness.mjs'
import { untranslated } from './chinese.mjs'

export const partakeTests = []
const test = (name, fn) => partakeTests.push([name, fn])

const GRID = '371302001001001' // 东关社区第1网格
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

function residentId (seq, born = '19660303') {
  const body = '371302' + born + String(seq % 1000).padStart(3, '0')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * WEIGHTS[i]
  return body + '10X98765432'[sum % 11]
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

const made = {} // what the first test makes for the others

// 东关花园7号楼 unit 1 with three households living in it, and its team
async function stairwell (srv, token) {
  const code = 'DGHY-7-' + Date.now().toString(36)
  await srv.api('POST', '/api/v1/buildings', {
    code, name: '东关花园7号楼', address: '兰山区兰山街道东关社区沂蒙路66号7号楼', floors: 6,
    use: 'residential', lon: 118.305, lat: 35.005
  }, token)
  const households = []
  for (const room of ['101', '102', '201']) {
    const h = await srv.api('POST', `/api/v1/buildings/${code}/houses`, { unit: '1', floor: Number(room[0]), room, use: 'owner_occupied' }, token)
    const hh = await srv.api('POST', '/api/v1/households', { number: `37130200${room}${Date.now() % 100000}`, grid: GRID, address: h.address }, token)
    households.push(hh.id)
  }
  const people = []
  for (const [i, name] of ['周玉兰', '吴建华', '郑国强'].entries()) {
    const p = await srv.api('POST', '/api/v1/persons', { id_number: residentId(400 + i + (Date.now() % 500)), name, residence: 'registered', grid: GRID }, token)
    people.push(p.id)
  }
  const team = await srv.api('POST', '/api/v1/stairwell-teams', {
    building: code, unit: '1', head: { person: people[0] }, info: { person: people[1] }, guard: { person: people[2] }
  }, token)
  return { code, team: team.id, households, people }
}

test('partake: a grid worker records a stairwell visit on a phone and sees the coverage', async ({ browser, base, assert, srv }) => {
  const grid1 = await srv.login('grid1', PASSWORD)
  Object.assign(made, await stairwell(srv, grid1))
  const ctx = await browser.newContext(PHONE)
  const page = await ctx.newPage()
  try {
    await uiLogin(page, base, 'grid1')
    await page.goto(base + '/stairwells')
    await page.fill('[data-test=sw-grid]', GRID)
    await page.click('[data-test=sw-load]')
    await page.waitForSelector(`[data-test=sw-team-${made.team}]`)
    const card = await page.textContent(`[data-test=sw-team-${made.team}]`)
    assert(card.includes('周*') && !card.includes('周玉兰'), 'the head by the masked name: ' + card)
    assert(card.includes('0/3'), 'three households, none visited: ' + card)
    await page.click(`[data-test=sw-team-${made.team}]`)
    await page.waitForSelector('[data-test=sw-unvisited]')
    assert(await page.locator('[data-test=sw-unvisited] .el-table__row').count() === 3, 'three unvisited')
    await page.fill('[data-test=sw-v-content]', '入户了解老人取暖情况，燃气表已检查')
    await page.fill('[data-test=sw-v-findings]', '一楼楼道灯损坏')
    await page.click('[data-test=sw-v-save]')
    await page.waitForSelector('.el-message--success')
    await page.waitForFunction(() => document.querySelectorAll('[data-test=sw-unvisited] .el-table__row').length === 2)
    assert((await page.textContent('[data-test=sw-month-coverage]')).includes('33.3'), 'coverage one of three')
    const bad = await english(page)
    assert(!bad.length, 'the stairwell page in Chinese: ' + bad.join(' | '))
    await page.screenshot({ path: 'build/artifacts/screenshots/partake-stairwell-phone.png' })
    const month = await srv.api('GET', `/api/v1/stairwell-teams/${made.team}/month`, undefined, grid1)
    const reg = await srv.api('GET', `/api/v1/visits/${month.visits[0].visit}`, undefined, grid1)
    assert(reg.method === 'stair' && reg.subject.kind === 'household' && reg.findings === '一楼楼道灯损坏', 'the visit is in the registry: ' + JSON.stringify(reg))
  } finally { await ctx.close() }
})

test('partake: points redeemed, never past the balance', async ({ page, base, assert, srv, shot }) => {
  const comm = await srv.login('comm1', PASSWORD)
  const name = '东关巾帼志愿服务队' + (Date.now() % 1000)
  const team = await srv.api('POST', '/api/v1/volunteer-teams', { name, place: '371302001001', kind: 'women', rate: 2 }, comm)
  const p = await srv.api('POST', '/api/v1/persons', { id_number: residentId(Date.now(), '19710815'), name: '冯秀梅', residence: 'registered', grid: GRID }, comm)
  const v = await srv.api('POST', '/api/v1/volunteers', { person: p.id, team: team.id, skills: ['理发'] }, comm)
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  await srv.api('POST', `/api/v1/volunteers/${v.id}/hours`, { date: today, hours: 5, activity: '为独居老人义务理发' }, comm)
  await uiLogin(page, base, 'comm1')
  await page.goto(base + '/volunteers')
  await page.waitForSelector(`[data-test=vo-row-${v.id}]`)
  await page.click(`[data-test=vo-row-${v.id}]`)
  await page.waitForSelector('[data-test=vo-balance]')
  assert((await page.textContent('[data-test=vo-balance]')).trim() === '10', 'five hours at two points')
  await page.fill('[data-test=vo-r-points] input', '11')
  await page.fill('[data-test=vo-r-what]', '电饭煲')
  await page.click('[data-test=vo-r-save]')
  await page.waitForSelector('[data-test=vo-said]')
  assert((await page.textContent('[data-test=vo-said]')).length > 0, 'the refusal is shown')
  await page.fill('[data-test=vo-r-points] input', '8')
  await page.fill('[data-test=vo-r-what]', '洗衣液两瓶')
  await page.click('[data-test=vo-r-save]')
  await page.waitForSelector('.el-message--success')
  await page.waitForFunction(() => document.querySelector('[data-test=vo-balance]').textContent.trim() === '2')
  const bad = await english(page)
  assert(!bad.length, 'the volunteers page in Chinese: ' + bad.join(' | '))
  await shot('partake-volunteer')
})

test('partake: a mobilisation broadcast, acknowledged and reported done on a phone', async ({ page, browser, base, assert, srv, shot }) => {
  if (!made.team) Object.assign(made, await stairwell(srv, await srv.login('grid1', PASSWORD)))
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/mobilisations')
  await page.click('[data-test=mb-new]')
  await page.fill('[data-test=mb-title]', '寒潮防御动员')
  await page.fill('[data-test=mb-content]', '今晚起寒潮降温，请各楼道排查独居老人取暖和燃气安全')
  await page.fill('[data-test=mb-scope]', GRID)
  await page.click('[data-test=mb-save]')
  await page.waitForSelector('.el-message--success')
  const list = await srv.api('GET', '/api/v1/mobilisations', undefined, await srv.login('super1', PASSWORD))
  const m = list.mobilisations.find(x => x.title === '寒潮防御动员')
  assert(m && m.progress.teams >= 1, 'broadcast to the grid\'s teams')
  await shot('partake-mobilisations')
  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  try {
    await uiLogin(phone, base, 'grid1')
    await phone.goto(base + '/mobilisations')
    await phone.click(`[data-test=mb-card-${m.id}]`)
    const t = `stairwell-${made.team}`
    await phone.click(`[data-test=mb-ack-${t}]`)
    await phone.waitForFunction(s => document.querySelector(`[data-test=mb-state-${s}]`).textContent.includes('已响应'), t)
    await phone.fill(`[data-test=mb-note-${t}]`, '已逐户敲门提醒，独居老人3户均已落实取暖')
    await phone.click(`[data-test=mb-done-${t}]`)
    await phone.waitForFunction(s => document.querySelector(`[data-test=mb-state-${s}]`).textContent.includes('已完成'), t)
    const bad = await english(phone)
    assert(!bad.length, 'the mobilisation page in Chinese: ' + bad.join(' | '))
    await phone.screenshot({ path: 'build/artifacts/screenshots/partake-mobilisation-phone.png' })
  } finally { await ctx.close() }
})
