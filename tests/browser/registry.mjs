// The registry's people (实有人口, issue 19 item 2): a grid worker lists the persons of a grid,
// masked (张*, 371302********1234, 138****0001), on a desk (1366×768) and on a phone (390×844);
// no clear name, ID number or phone reaches the page.
import { treeTo, uiLogin, shot } from './harness.mjs'

export const registryTests = []
const test = (name, fn) => registryTests.push([name, fn])

const GRID = '371302001001001'
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }

// a made-up resident ID number with its GB 11643 check character
function residentId (birth, seq) {
  const body = '371302' + birth + String(seq).padStart(3, '0')
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * WEIGHTS[i]
  return body + '10X98765432'[sum % 11]
}

const PEOPLE = [
  { name: '张建国', id: residentId('19420315', 11), phone: '13812340001', care: ['alone', 'over80'] },
  { name: '李秀英', id: residentId('19560708', 22), phone: '13912340002', care: ['empty_nest'] },
  { name: '欧阳晓明', id: residentId('20140120', 31), phone: '', care: ['left_behind_child'] }
]

async function seed (srv) {
  const token = await srv.login('grid1')
  for (const p of PEOPLE) {
    const body = { id_number: p.id, name: p.name, residence: 'registered', grid: GRID, care: p.care }
    if (p.phone) body.phone = p.phone
    await srv.api('POST', '/api/v1/persons', body, token)
  }
}

// the registry page opened afresh, its grid searched once the page has drawn its input
async function listed (page, base, assert) {
  await page.goto(base + '/registry')
  const input = page.locator('input[data-test=rg-grid]')
  await input.waitFor({ state: 'visible' })
  await input.fill(GRID)
  await page.click('[data-test=rg-search]')
  await page.waitForSelector('[data-test=rg-persons] >> text=张*')
  const text = await page.locator('[data-test=rg-persons]').textContent()
  for (const p of PEOPLE) {
    assert(!text.includes(p.name) && !text.includes(p.id) && !(p.phone && text.includes(p.phone)), 'nothing in clear: ' + p.name)
    assert(text.includes(p.id.slice(0, 6) + '********' + p.id.slice(-4)), 'the ID masked: first 6, last 4')
  }
  assert(text.includes('欧阳*') && text.includes('138****0001'), 'names and phones masked: ' + text)
  assert(text.includes('独居老人') && text.includes('留守儿童') && text.includes('户籍'), 'care groups and residence in Chinese')
}

test('registry: a grid\'s persons masked, desk 1366×768 and phone 390×844', async ({ page, base, srv, assert, browser }) => {
  await seed(srv)
  await uiLogin(page, base, 'grid1')
  await listed(page, base, assert)
  const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
  assert(wide, 'no sideways scroll at 1366×768')
  await shot(page, 'registry-1366')
  const ctx = await browser.newContext(PHONE)
  try {
    const phone = await ctx.newPage()
    await uiLogin(phone, base, 'grid1')
    await listed(phone, base, assert)
    await shot(phone, 'registry-390')
  } finally {
    await ctx.close()
  }
})

// imports (issue 19 item 8): a file with a bad row stores nothing and the dialog names the row;
// the corrected file stores every row, and the list shows them masked
function importFile (rows) {
  const text = '\ufeff证件号码,姓名,联系电话,人口类型,网格编码\r\n' + rows.map(r => r.join(',')).join('\r\n') + '\r\n'
  return { name: '人口.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') }
}

test('registry: an import with a bad row stores nothing, the corrected one everything', async ({ page, base, srv, assert }) => {
  const rows = [[residentId('19700101', 41), '王建华', '13812345678', '户籍', GRID],
    [residentId('19700101', 42), '赵丽', '12345', '流动', GRID]]
  await uiLogin(page, base, 'grid1')
  await page.goto(base + '/registry')
  await page.click('[data-test=rg-import]')
  await page.waitForSelector('[data-test=im-dialog] input[data-test=im-file]', { state: 'attached' })
  await page.setInputFiles('input[data-test=im-file]', importFile(rows))
  await page.click('[data-test=im-upload]')
  await page.waitForSelector('[data-test=im-errors]')
  let text = await page.locator('[data-test=im-report]').textContent()
  assert(text.includes('未入库') && text.includes('3') && text.includes('电话'), 'the bad row named: ' + text)
  await shot(page, 'registry-import-refused-1366')
  const token = await srv.login('grid1')
  const byId = async id => (await srv.api('GET', '/api/v1/persons?id_number=' + id, undefined, token)).persons
  assert((await byId(rows[0][0])).length === 0, 'nothing stored, not even the good row')
  rows[1][2] = '13912345678'
  await page.setInputFiles('input[data-test=im-file]', importFile(rows))
  await page.click('[data-test=im-upload]')
  await page.waitForSelector('[data-test=im-report] >> text=已全部入库')
  text = await page.locator('[data-test=im-counts]').textContent()
  assert(/新增\s*2/.test(text), 'two created: ' + text)
  await shot(page, 'registry-import-stored-1366')
  const both = (await byId(rows[0][0])).concat(await byId(rows[1][0]))
  assert(both.length === 2 && both.every(p => p.name.endsWith('*')), 'both stored, masked')
})

// The registry's organizations, things and party overlay (issue 19 items 3 and 4): a grid
// worker opens each tab; the responsible person is masked, a thing's state changes in place
// (its version read), the party branch shows its members masked — on a desk and a phone.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
function creditCode (org8) {
  const ow = [3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 8; i++) s += (/\d/.test(org8[i]) ? Number(org8[i]) : org8.charCodeAt(i) - 55) * ow[i]
  const oc = 11 - s % 11
  const body = '91371302' + org8 + (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc))
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(body[i]) * w[i]
  return body + CHARSET[(31 - sum % 31) % 31]
}

async function seedPlaces (srv) {
  const token = await srv.login('grid1')
  await srv.api('POST', '/api/v1/orgs', {
    credit_code: creditCode('MA000001'), name: '东关便民超市', kind: 'individual_business',
    person_name: '司马光明', person_phone: '13612340009', grid: GRID, hazards: ['gas_user', 'crowded_place']
  }, token)
  await srv.api('POST', '/api/v1/things', { class: '0101', name: '雨水井盖', owner_unit: 'cgzf', maint_unit: 'cgzf', grid: GRID }, token)
  const member = await srv.api('POST', '/api/v1/persons', {
    id_number: residentId('19700701', 41), name: '王红梅', residence: 'registered', grid: GRID, political: 'party_member'
  }, token)
  const branch = await srv.api('POST', '/api/v1/party/orgs', { name: '东关社区第1网格党支部', kind: 'branch', grid: GRID }, token)
  await srv.api('POST', `/api/v1/party/orgs/${branch.id}/members`, { person: member.id, role: 'secretary' }, token)
}

async function tabs (page, base, assert, changeState) {
  await page.goto(base + '/registry')
  await page.locator('[data-test=rg-tabs] >> text=组织').click()
  await page.waitForSelector('[data-test=og-list] >> text=东关便民超市')
  const orgs = await page.locator('[data-test=og-list]').textContent()
  assert(!orgs.includes('司马光明') && !orgs.includes('13612340009'), 'the responsible person never in clear')
  assert(orgs.includes('司马*') && orgs.includes('136****0009'), 'masked: ' + orgs)
  assert(orgs.includes('个体工商户') && orgs.includes('燃气用户'), 'kind and hazards in Chinese')
  await page.locator('[data-test=rg-tabs] >> text=部件').click()
  await page.waitForSelector('[data-test=th-list] >> text=雨水井盖')
  const things = await page.locator('[data-test=th-list]').textContent()
  assert(things.includes('37130201010001') && things.includes('公用设施'), 'the code and its class: ' + things)
  if (changeState) {
    await page.locator('[data-test=th-state-37130201010001]').click()
    await page.locator('.el-select-dropdown__item >> text=破损').last().click()
    await page.waitForFunction(() => document.querySelector('[data-test=th-state-37130201010001] input')?.value === '破损' ||
      document.querySelector('[data-test=th-state-37130201010001]')?.textContent.includes('破损'))
  }
  await page.locator('[data-test=rg-tabs] >> text=党建').click()
  await page.waitForSelector('[data-test=py-orgs] >> text=东关社区第1网格党支部')
  await page.locator('[data-test=py-orgs] >> text=东关社区第1网格党支部').click()
  await page.waitForSelector('[data-test=py-members] >> text=书记')
  const members = await page.locator('[data-test=py-members]').textContent()
  assert(members.includes('王*') && !members.includes('王红梅'), 'members masked: ' + members)
}

test('registry: organizations, things and the party overlay, desk 1366×768 and phone 390×844', async ({ page, base, srv, assert, browser }) => {
  await seedPlaces(srv)
  await uiLogin(page, base, 'grid1')
  await tabs(page, base, assert, true)
  const token = await srv.login('grid1')
  const thing = await srv.api('GET', '/api/v1/things/37130201010001', undefined, token)
  assert(thing.state === 'damaged' && thing.version === 2, 'the state changed with the version read: ' + JSON.stringify(thing))
  const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
  assert(wide, 'no sideways scroll at 1366×768')
  await shot(page, 'registry-places-1366')
  const ctx = await browser.newContext(PHONE)
  try {
    const phone = await ctx.newPage()
    await uiLogin(phone, base, 'grid1')
    await tabs(phone, base, assert, false)
    await shot(phone, 'registry-places-390')
  } finally {
    await ctx.close()
  }
})

test('registry: buildings, organizations and things as layers of the grid map', async ({ page, base, srv, assert }) => {
  const token = await srv.login('grid1')
  await srv.api('POST', '/api/v1/buildings', {
    name: '金雀山花园5号楼', address: '兰山区测试街道东关社区金雀山路20号5号楼', grid: GRID,
    lon: 118.3061, lat: 35.0061, floors: 11, use: 'residential'
  }, token)
  await srv.api('POST', '/api/v1/orgs', {
    credit_code: creditCode('MA000077'), name: '沂蒙路加油站', kind: 'enterprise', person_name: '赵六',
    grid: GRID, lon: 118.3051, lat: 35.0052, hazards: ['hazardous_chemicals', 'fire_key_unit']
  }, token)
  await srv.api('POST', '/api/v1/things', { class: '0201', name: '路灯', state: 'damaged', owner_unit: 'cgzf', maint_unit: 'cgzf', grid: GRID, lon: 118.3031, lat: 35.0031 }, token)
  await uiLogin(page, base, 'grid1')
  const answers = []
  page.on('response', r => { if (/\/api\/v1\/(buildings|orgs|things)\?/.test(r.url())) answers.push(r.status()) })
  await page.goto(base + '/grids')
  await page.click('[data-test=g-tree] .el-tree-node__content')
  await treeTo(page, '测试街道', '东关社区居委会', '东关社区第1网格')
  const layers = page.locator('[data-test=g-layers]')
  await layers.waitFor()
  const text = await layers.textContent()
  assert(text.includes('楼栋') && text.includes('组织') && text.includes('部件'), 'the three layers by name: ' + text)
  for (let i = 0; i < 50 && answers.length < 3; i++) await page.waitForTimeout(100)
  assert(answers.length >= 3 && answers.every(s => s === 200), 'the layers read: ' + answers)
  await layers.locator('text=部件').click() // the things' layer off, and on again
  await layers.locator('text=部件').click()
  await shot(page, 'grids-layers-1366')
})

test('registry: overdue visits coloured on the grid map and counted on the dashboard', async ({ page, base, srv, assert }) => {
  const token = await srv.login('grid1')
  const p = await srv.api('POST', '/api/v1/persons', {
    id_number: residentId('19480909', 67), name: '孙桂兰', residence: 'registered', grid: GRID, care: ['hardship']
  }, token)
  await srv.api('POST', '/api/v1/visits', {
    subject: { kind: 'person', id: p.id }, method: 'door', content: '了解家庭收入和医疗报销情况。',
    visited_at: Math.floor(Date.now() / 1000) - 100 * 86400
  }, token)
  await uiLogin(page, base, 'grid1')
  await page.goto(base + '/grids')
  await page.click('[data-test=g-tree] .el-tree-node__content')
  await treeTo(page, '测试街道', '东关社区居委会')
  await page.locator('[data-test=g-due-layer]').click()
  const total = page.locator('[data-test=g-due-total]')
  await total.waitFor()
  const text = await total.textContent()
  const n = Number((text.match(/逾期 (\d+) 人/) || [])[1])
  assert(n >= 1 && text.includes('个网格'), 'the overdue visits under the map: ' + text)
  await shot(page, 'grids-visits-due-1366')
  await page.goto(base + '/dashboard')
  const tile = page.locator('[data-test=kpi-visits_overdue]')
  await tile.waitFor()
  assert(Number(await tile.getAttribute('data-value')) >= 1, 'the dashboard counts the overdue visits')
  assert((await tile.textContent()).includes('走访逾期'), 'the tile by its Chinese name')
})
