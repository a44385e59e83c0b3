// 未诉先办 and 帮包 as their users walk them: an agent opens a task from the month's
// suggestions in the dialog, a unit's handler reports progress on it, the agent sees the
// effect's figures and chart and completes it; an agent ranks the month's grids and assigns a
// leader to the first; the leader, on a phone at 390×844, finds the 帮包 first in the list
// and writes a progress note.
import { PASSWORD, uiLogin, shot as shotOf } from './harness.mjs'
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

export const taskTests = []
const test = (name, fn) => taskTests.push([name, fn])

const GRID = '371302001001001' // 东关社区第1网格
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }

async function noiseOrders (srv, token, n) {
  for (let i = 0; i < n; i++) {
    await srv.api('POST', '/api/v1/orders', {
      channel: 'hotline', type: 'complaint', item: '06028', title: '夜间施工噪声',
      content: `东关社区工地夜间施工扰民（第${i + 1}次）`, lon: 118.305, lat: 35.005
    }, token)
  }
}

test('tasks: an agent opens a task from the suggestions, a unit reports progress, the effect shows', async ({ page, browser, base, assert, srv, shot }) => {
  const agent = await srv.login('agent1', PASSWORD)
  await noiseOrders(srv, agent, 3)
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/tasks')
  await page.click('[data-test=tk-new]')
  await page.waitForSelector('[data-test=tk-sug-item-06028]')
  await page.click('[data-test=tk-sug-item-06028]')
  assert((await page.inputValue('[data-test=tk-topic]')).includes('噪声扰民'), 'the suggestion fills the topic')
  await page.click('[data-test=tk-lead]')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '城管执法局' }).first().click()
  await page.fill('[data-test=tk-measures]', '夜间22时后巡查工地\n约谈施工单位负责人')
  await shot('tasks-dialog')
  await page.click('[data-test=tk-save]')
  await page.waitForSelector('[data-test=td-topic]')
  const id = Number(page.url().split('/').pop())
  assert(id > 0, 'the new task opens')
  assert((await page.textContent('[data-test=td-lead]')).includes('城管执法局'), 'the lead unit by name')
  await page.waitForSelector('[data-test=td-after]')
  // the orders after the start: the three above, and any other noise appeal of the suite's today
  const effect = await srv.api('GET', `/api/v1/tasks/${id}/effect`, undefined, agent)
  assert(effect.after.orders >= 3, 'the three orders after the start: ' + effect.after.orders)
  assert((await page.textContent('[data-test=td-after]')).trim() === String(effect.after.orders), 'the page shows the effect counted')
  assert(await page.locator('[data-test=td-effect] canvas').count() >= 1, 'the effect chart is drawn')

  // the lead unit's handler reports progress on its task
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const hp = await ctx.newPage()
  await uiLogin(hp, base, 'handler1')
  await hp.goto(base + '/tasks/' + id)
  await hp.waitForSelector('[data-test=td-note]')
  await hp.fill('[data-test=td-note]', '联合执法检查工地2处，责令夜间停工')
  await hp.click('[data-test=td-progress]')
  await hp.waitForFunction(() => document.querySelector('[data-test=td-timeline]').textContent.includes('责令夜间停工'))
  await shotOf(hp, 'tasks-progress-handler')
  await ctx.close()

  // the agent reloads, sees the progress, completes the task
  await page.reload()
  await page.waitForSelector('[data-test=td-timeline]')
  assert((await page.textContent('[data-test=td-timeline]')).includes('责令夜间停工'), 'the progress on the timeline')
  await page.click('[data-test=td-complete]')
  await page.waitForFunction(() => document.querySelector('[data-test=td-state]').textContent.includes('已完成'))
  await shot('tasks-detail')
  let bad = await english(page)
  assert(!bad.length, 'the task in Chinese: ' + bad.join(' '))
  await page.goto(base + '/tasks')
  await page.waitForSelector(`[data-test=tk-row-${id}]`)
  assert((await page.textContent(`[data-test=tk-state-${id}]`)).includes('已完成'), 'the list shows it done')
  bad = await english(page)
  assert(!bad.length, 'the task list in Chinese: ' + bad.join(' '))
})

test('sponsorships: an agent assigns a leader to the top grid, the leader writes a note on a phone', async ({ page, browser, base, assert, srv, shot }) => {
  await noiseOrders(srv, await srv.login('agent1', PASSWORD), 2)
  await uiLogin(page, base, 'agent1')
  await page.goto(base + '/sponsorships')
  await page.click('[data-test=sp-tabs] .el-tabs__item:has-text("诉求量排名")')
  await page.waitForSelector(`[data-test=sp-assign-${GRID}]`)
  await page.click(`[data-test=sp-assign-${GRID}]`)
  await page.fill('[data-test=sp-leader]', 'leader1')
  await page.fill('[data-test=sp-reason]', '本月噪声投诉全区第一')
  await page.click('[data-test=sp-save]')
  await page.waitForFunction(g => !document.querySelector(`[data-test=sp-assign-${g}]`), GRID)
  assert((await page.textContent('[data-test=sp-ranking]')).includes('leader1'), 'the ranking names the leader')
  await shot('sponsorships-ranking')
  const bad = await english(page)
  assert(!bad.length, 'the ranking in Chinese: ' + bad.join(' '))

  const ctx = await browser.newContext(PHONE)
  const phone = await ctx.newPage()
  await uiLogin(phone, base, 'leader1')
  await phone.goto(base + '/sponsorships')
  const card = phone.locator('[data-test^=sp-card-]').first()
  await card.waitFor()
  assert((await card.textContent()).includes('东关社区第1网格'), 'the leader\'s own 帮包 first')
  const sid = (await card.getAttribute('data-test')).split('-').pop()
  await phone.fill(`[data-test=sp-note-input-${sid}]`, '走访工地和物业，协调夜间停工')
  await phone.click(`[data-test=sp-note-save-${sid}]`)
  await phone.waitForSelector(`[data-test=sp-note-${sid}]`)
  assert((await phone.textContent(`[data-test=sp-note-${sid}]`)).includes('协调夜间停工'), 'the note shows')
  await shotOf(phone, 'sponsorships-leader-phone')
  await ctx.close()
})
