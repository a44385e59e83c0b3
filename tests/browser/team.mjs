// The grid team (issue 19 item 5): a resident opens 我的网格 on a phone (390×844), shares their
// location and sees the card of their grid — the team with tap-to-call work phones, the
// community police and their station, the published duties — and nothing personal; a grid
// worker edits the team on the grid's card in the console (1366×768), a bad member marked.
import { uiLogin, shot } from './harness.mjs'

export const teamTests = []
const test = (name, fn) => teamTests.push([name, fn])

const GRID = '371302001001001'
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
const TEAM = {
  members: [
    { name: '张网格', role: 'head', username: 'grid1', work_phone: '0539-8123456', duty: '全面负责网格工作', since: '2020-01-01' },
    { name: '李专职', role: 'full_time', work_phone: '13800001111', duty: '走访1-10号楼' },
    { name: '王下沉', role: 'micro', home_unit: '区财政局', work_phone: '13800002222' },
    { name: '孙民警', role: 'police', work_phone: '0539-8110110' },
    { name: '周离任', role: 'volunteer', since: '2020-01-01', until: '2021-12-31' }
  ],
  duties: { responsibilities: '走访入户、巡查上报、政策宣传、便民服务', commitment: '有呼必应，24小时不打烊', supervision_phone: '12345', services: [{ name: '社区卫生室', phone: '0539-8777777' }] },
  police_station: { name: '东关派出所', phone: '110', address: '金雀山路1号' }
}

// the team stored through the API, on whatever version the grid is at
async function seed (srv) {
  const token = await srv.login('grid1')
  const now = await srv.api('GET', `/api/v1/grids/${GRID}/team`, undefined, token)
  await srv.api('PUT', `/api/v1/grids/${GRID}/team`, TEAM, token, { 'If-Match': `"${now.version}"` })
}

test('team: 我的网格 on a phone shows the grid card with tap-to-call work phones', async ({ browser, srv, base, assert }) => {
  await seed(srv)
  const ctx = await browser.newContext({ ...PHONE, geolocation: { longitude: 118.3032, latitude: 35.0031 }, permissions: ['geolocation'] })
  try {
    const page = await ctx.newPage()
    const errors = []
    page.on('pageerror', e => errors.push(String(e)))
    await page.goto(base + '/m/')
    await page.click('[data-test=tab-grid]')
    await page.click('[data-test=grid-gps]')
    await page.waitForSelector('[data-test=grid-card]')
    assert((await page.textContent('[data-test=grid-name]')).includes('东关社区第1网格'), 'the grid of the point')
    const team = await page.textContent('[data-test=grid-team]')
    assert(team.includes('网格长') && team.includes('张网格') && team.includes('微网格员') && team.includes('走访1-10号楼'), 'the team with roles and duties: ' + team)
    assert(!team.includes('周离任'), 'who left is not shown')
    const hrefs = await page.$$eval('[data-test=grid-call]', as => as.map(a => a.getAttribute('href')))
    assert(hrefs.includes('tel:05398123456') && hrefs.includes('tel:13800001111') && hrefs.includes('tel:05398110110'), 'tap-to-call work phones: ' + hrefs)
    const police = await page.textContent('[data-test=grid-police]')
    assert(police.includes('孙民警') && police.includes('东关派出所'), 'the police and their station: ' + police)
    const duties = await page.textContent('[data-test=grid-duties]')
    assert(duties.includes('有呼必应') && duties.includes('社区卫生室'), 'the published duties: ' + duties)
    assert((await page.getAttribute('[data-test=grid-supervise]', 'href')) === 'tel:12345', 'the supervision phone')
    const all = await page.textContent('body')
    for (const secret of ['grid1', '区财政局', '2020-01-01']) assert(!all.includes(secret), 'nothing personal on the card: ' + secret)
    const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)
    assert(wide, 'no sideways scroll at 390×844')
    await shot(page, 'portal-grid-390')
    // a point in no grid: said plainly, no card
    await page.click('[data-test=grid-map-open]')
    await page.waitForSelector('[data-test=pick-map] .leaflet-overlay-pane path')
    await page.locator('[data-test=pick-map]').scrollIntoViewIfNeeded()
    const box = await page.locator('[data-test=pick-map]').boundingBox()
    await page.mouse.click(box.x + 4, box.y + box.height - 4)
    await page.waitForSelector('[data-test=grid-error]')
    assert((await page.textContent('[data-test=grid-error]')).includes('不在本辖区'), 'outside every grid')
    assert(!errors.length, 'no script errors: ' + errors.join('; '))
  } finally {
    await ctx.close()
  }
})

test('team: a grid worker edits the grid team on the grid card', async ({ page, srv, base, assert }) => {
  await seed(srv)
  await uiLogin(page, base, 'grid1')
  await page.goto(base + '/grids')
  await page.waitForSelector('[data-test=g-tree]')
  const node = page.locator('[data-test=g-tree] .el-tree-node__content').first()
  await node.waitFor()
  // down the tree to the grid: town, village, grid
  for (const name of ['测试街道', '东关社区居委会', '东关社区第1网格']) {
    await page.locator('[data-test=g-tree] .el-tree-node__content', { hasText: name }).first().click()
  }
  await page.waitForSelector('[data-test=team-members] >> text=张网格')
  const listed = await page.textContent('[data-test=team-members]')
  assert(listed.includes('网格长') && listed.includes('已离任'), 'roles and who left: ' + listed)
  await page.click('[data-test=team-edit]')
  await page.click('[data-test=team-add]')
  const n = await page.locator('[data-test=team-form] [data-test^=team-m-]').count()
  await page.fill(`input[data-test=team-name-${n - 1}]`, '新志愿者')
  await page.fill(`input[data-test=team-phone-${n - 1}]`, '12')
  await page.click('[data-test=team-save]')
  await page.waitForSelector('[data-test=team-error]')
  assert((await page.textContent('[data-test=team-error]')).includes(`第 ${n} 位成员`), 'the bad member named by its place')
  assert(await page.locator(`[data-test=team-m-${n - 1}].bad`).count() === 1, 'the bad member marked')
  await page.fill(`input[data-test=team-phone-${n - 1}]`, '13800003333')
  await page.click('[data-test=team-save]')
  await page.waitForSelector('[data-test=team-members] >> text=新志愿者')
  await shot(page, 'grid-team-1366')
  const token = await srv.login('grid1')
  const stored = await srv.api('GET', `/api/v1/grids/${GRID}/team`, undefined, token)
  assert(stored.members.length === TEAM.members.length + 1 && stored.members.at(-1).work_phone === '13800003333', 'stored whole: ' + JSON.stringify(stored.members.at(-1)))
})
