// A telephone survey round as its users walk it: a supervisor makes the questionnaire from
// the district's usual one in the dialog; an agent at 1366×768 takes a number on the call
// desk, sees it masked until revealing it for the call, answers with the buttons and records
// a refusal on the next; the supervisor reads the results — the interval chart, the town
// unranked with too few answers, then ranked — all in Chinese.
import { PASSWORD, uiLogin, shot as shotOf } from './harness.mjs'
import { untranslated } from './chinese.mjs'

export const surveyTests = []
const test = (name, fn) => surveyTests.push([name, fn])
const GRIDS = ['371302001001001', '371302001001002', '371302001002001']

async function english (page) {
  await page.waitForLoadState('networkidle')
  let bad = await untranslated(page)
  for (let i = 0; bad.length && i < 6; i++) {
    await page.waitForTimeout(500)
    bad = await untranslated(page)
  }
  return bad
}

test('surveys: a supervisor makes a round, an agent calls from the desk, the results rank the town', async ({ page, browser, base, assert, srv, shot }) => {
  for (let i = 0; i < 12; i++) {
    await srv.api('POST', '/api/v1/persons', {
      id_type: 'passport', id_number: `S${String(880000 + i).padStart(8, '0')}`, name: '赵桂兰',
      residence: 'registered', grid: GRIDS[i % 3], phone: `1365550${String(i).padStart(4, '0')}`
    }, srv.admin)
  }
  // the supervisor: the questionnaire from the usual one
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/surveys')
  await page.click('[data-test=sv-new]')
  await page.waitForSelector('[data-test=sv-q-2]')
  await page.fill('[data-test=sv-title]', '2026年第6期群众安全感电话调查')
  await shot('surveys-editor')
  await page.click('[data-test=sv-save]')
  await page.waitForSelector('[data-test=sd-title]')
  const id = Number(page.url().split('/').pop().split('?')[0])
  assert(id > 0, 'the new survey opens')
  const sup = await srv.login('super1', PASSWORD)
  const drawn = await srv.api('POST', `/api/v1/surveys/${id}/sample`, { frame: 'registry', per_town: 50, seed: 2026 }, sup)
  assert(drawn.drawn >= 12, 'every phone of the town drawn: ' + drawn.drawn)
  await page.reload()
  await page.click('.el-tabs__item:has-text("样本")')
  await page.waitForSelector('[data-test=sd-numbers] .el-table__row')
  const listed = await page.textContent('[data-test=sd-numbers]')
  assert(listed.includes('136****') && !listed.includes('13655500'), 'the sample shows masked phones only')
  await page.click('[data-test=sd-open]')
  await page.waitForFunction(() => document.querySelector('[data-test=sd-state]').textContent.includes('调查中'))
  let bad = await english(page)
  assert(!bad.length, 'the survey in Chinese: ' + bad.join(' '))

  // the agent's desk at 1366×768
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const desk = await ctx.newPage()
  await uiLogin(desk, base, 'agent1')
  await desk.goto(base + '/survey-calls?survey=' + id)
  await desk.waitForSelector('[data-test=sc-call]')
  const masked = (await desk.textContent('[data-test=sc-phone]')).trim()
  assert(masked.includes('****'), 'masked until revealed')
  assert(await desk.locator('[data-test=sc-reached]').isDisabled(), 'answers come first')
  await desk.click('[data-test=sc-reveal]')
  // the town's registry holds the suite's other residents too: whichever number came, the
  // revealed one is the masked one in full
  await desk.waitForFunction(() => /^\s*1\d{10}\s*$/.test(document.querySelector('[data-test=sc-phone]').textContent))
  const clear = (await desk.textContent('[data-test=sc-phone]')).trim()
  assert(clear.slice(0, 3) === masked.slice(0, 3) && clear.slice(-4) === masked.slice(-4), `revealed ${clear} is ${masked}`)
  await desk.click('[data-test=sc-a-q1-0]')
  await desk.click('[data-test=sc-a-q2-yes]')
  await desk.fill('[data-test=sc-a-q3]', '希望夜间多巡逻')
  const box = await desk.locator('[data-test=sc-reached]').boundingBox()
  assert(box && box.y + box.height <= 768, 'the save button fits a 1366×768 screen')
  await shotOf(desk, 'surveys-call-desk')
  bad = await english(desk)
  assert(!bad.length, 'the desk in Chinese: ' + bad.join(' '))
  const first = await desk.textContent('[data-test=sc-phone]')
  await desk.click('[data-test=sc-reached]')
  await desk.waitForFunction(f => document.querySelector('[data-test=sc-phone]')?.textContent !== f, first)
  assert((await desk.textContent('[data-test=sc-phone]')).includes('****'), 'the next number masked again')
  await desk.click('[data-test=sc-refused]')
  await desk.waitForSelector('[data-test=sc-call]')
  await ctx.close()

  // the supervisor's results: one answer, too few to rank by default, ranked with min 1
  const res = await srv.api('GET', `/api/v1/surveys/${id}/results?min=1`, undefined, sup)
  assert(res.district.n === 1 && res.district.positive === 1, 'one answer, safe: ' + JSON.stringify(res.district))
  await page.goto(base + `/surveys/${id}?tab=results`)
  await page.waitForSelector('[data-test=sv-results]')
  assert((await page.textContent('[data-test=sv-n]')).trim() === '1', 'the answers counted')
  assert(await page.locator('[data-test=sv-chart] canvas').count() >= 1, 'the interval chart is drawn')
  await page.waitForSelector('[data-test=sv-too-few]')
  await page.fill('[data-test=sv-min] input', '1')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelectorAll('[data-test=sv-ranking] .el-table__row').length >= 1)
  assert((await page.textContent('[data-test=sv-share]')).includes('100'), 'the share of the one answer')
  await shot('surveys-results')
  bad = await english(page)
  assert(!bad.length, 'the results in Chinese: ' + bad.join(' '))
})
