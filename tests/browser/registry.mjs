// The registry's people (实有人口, issue 19 item 2): a grid worker lists the persons of a grid,
// masked (张*, 371302********1234, 138****0001), on a desk (1366×768) and on a phone (390×844);
// no clear name, ID number or phone reaches the page.
import { uiLogin, shot } from './harness.mjs'

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
