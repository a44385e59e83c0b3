// The address search at intake: the agent types part of a standard address, picks the
// building it names, and the appeal's point and grid are set on the map (1366x768), the
// address filled in; a community found by its name places the appeal too.
import { SHOTS, treeTo, uiLogin } from './harness.mjs'

export const addressTests = []
const test = (name, fn) => addressTests.push([name, fn])

const ADDRESS = '兰山区测试街道东关社区金雀山路18号3号楼'

test('address search: intake places the appeal at the building picked', async ({ page, base, assert, shot, srv, browser }) => {
  // the grid worker records the building (the registry), with its point
  const worker = await srv.login('grid1')
  const b = await srv.api('POST', '/api/v1/buildings', { name: '金雀山路18号3号楼', address: ADDRESS, lon: 118.306, lat: 35.007, floors: 6, use: 'residential' }, worker)
  assert(b.grid === '371302001001001', 'the building stands in its grid: ' + JSON.stringify(b))

  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/intake')
  const asked = page.waitForResponse(r => r.url().includes('/api/v1/addresses?') && r.ok())
  await page.fill('[data-test=in-addr-search]', '金雀山路18')
  await asked
  const option = page.locator(`[data-test=in-addr-building-${b.code}]`)
  await option.waitFor()
  const text = await option.textContent()
  assert(text.includes('楼栋') && text.includes(ADDRESS) && text.includes('东关社区第1网格'), 'the option says what and where: ' + text)
  await shot('intake-address-search')
  const located = page.waitForResponse(r => r.url().includes('/api/v1/locate?') && r.ok())
  await option.click()
  await located
  await page.waitForSelector('[data-test=in-grid]')
  assert(await page.getAttribute('[data-test=in-grid]', 'title') === '371302001001001', 'the grid is set')
  assert((await page.textContent('[data-test=in-grid]')).includes('东关社区第1网格'), 'the grid by its name')
  assert(await page.inputValue('[data-test=in-lonlat]') === '118.306, 35.007', 'the point is set: ' + await page.inputValue('[data-test=in-lonlat]'))
  assert(await page.inputValue('[data-test=in-address]') === ADDRESS, 'the address is filled in')
  // the map, where the point is drawn, is in view at 1366x768
  const map = await page.locator('[data-test=map]').boundingBox()
  assert(map && map.y < 768 && map.x + map.width <= 1366, 'the map is in view: ' + JSON.stringify(map))
  await shot('intake-address-picked')

  // a community found by its name places the appeal in one of its grids
  await page.fill('[data-test=in-addr-search]', '')
  const again = page.waitForResponse(r => r.url().includes('/api/v1/addresses?') && r.ok())
  await page.fill('[data-test=in-addr-search]', '西关')
  await again
  const village = page.locator('[data-test=in-addr-village-371302001002]')
  await village.waitFor()
  await village.click()
  await page.waitForFunction(() => document.querySelector('[data-test=in-grid]')?.getAttribute('title') === '371302001002001')

  // and on a phone the search is there too
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const phone = await ctx.newPage()
  try {
    await uiLogin(phone, base, 'agent1')
    await phone.goto(base + '/intake')
    await phone.fill('[data-test=in-addr-search]', '金雀山')
    await phone.locator(`[data-test=in-addr-building-${b.code}]`).waitFor()
    await phone.screenshot({ path: SHOTS + '/intake-address-search-390.png' })
  } finally {
    await ctx.close()
  }
})

test('registry: a grid\'s buildings and a building\'s houses on the grid map', async ({ page, base, assert, shot, srv }) => {
  const worker = await srv.login('grid1')
  const b = await srv.api('POST', '/api/v1/buildings', { name: '沂蒙路5号', address: '兰山区测试街道东关社区沂蒙路5号', lon: 118.3075, lat: 35.0085, floors: 3, use: 'mixed' }, worker)
  const h = await srv.api('POST', `/api/v1/buildings/${b.code}/houses`, { unit: '1', floor: 2, room: '201', use: 'rented', tenants: 2 }, worker)
  assert(h.address === '兰山区测试街道东关社区沂蒙路5号1单元201室', 'the house\'s address: ' + h.address)

  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/grids')
  await page.click('[data-test=g-tree] .el-tree-node__content')
  await treeTo(page, '测试街道', '东关社区居委会', '东关社区第1网格')
  const row = page.locator(`[data-test=reg-building-${b.code}]`)
  await row.waitFor()
  assert((await page.textContent('[data-test=reg-buildings]')).includes('商住混合'), 'the use in words')
  await row.click()
  await page.waitForSelector('[data-test=reg-houses] >> text=' + h.address)
  const houses = await page.textContent('[data-test=reg-houses]')
  assert(houses.includes('出租 · 2'), 'a rented house with its tenants: ' + houses)
  await page.locator('[data-test=reg-houses]').scrollIntoViewIfNeeded()
  await shot('page-grids-registry')
})
