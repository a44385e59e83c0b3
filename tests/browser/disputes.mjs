// The dispute screens (矛盾纠纷多元化解) as their users walk them: the centre's supervisor
// registers a neighbours' quarrel in the dialog (a wrong ID number shown at its party), takes
// it through acceptance, a mediation session, the agreement, its performance, the follow-up
// and the file; a case refused; a grid worker's case escalated to the village; a step that
// lost the race to someone else; the desk's filters; a mediator's cases on a phone at
// 390×844; then the mediation bodies, the screening calendar, the figures and the dashboard's
// pins, each once the server serves its route (a route it does not serve yet is said so on
// the page, and the test checks that instead).
import { uiLogin, shot } from './harness.mjs'
import { untranslated } from './chinese.mjs'

export const disputeTests = []
const test = (name, fn) => disputeTests.push([name, fn])

const GRID = '371302001001001' // 东关社区第1网格
const GRID2 = '371302001001002' // 东关社区第2网格
const WEST = '371302001002001' // 西关社区第1网格
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }
const walk = { id: 0 } // the case the first test takes through its life

function quarrel (extra = {}) {
  return {
    source: 'walk_in',
    type: 'neighbours',
    risk: 'yellow',
    description: '楼上卫生间漏水渗到楼下卧室，双方就维修费用争执不下',
    amount: 3200.5,
    grid: GRID,
    parties: [
      { role: 'applicant', name: '王秀英', id_number: '11010519491231002X', phone: '13800138000' },
      { role: 'respondent', name: '李建国', phone: '13912345678' }
    ],
    ...extra
  }
}

// The HTTP status a route answers (404 while the server does not serve it yet)
async function statusOf (srv, path, token) {
  const res = await fetch(srv.base + path, { headers: { Authorization: 'Bearer ' + token } })
  await res.arrayBuffer()
  return res.status
}

async function apiStep (srv, token, id, action, body = {}) {
  const c = await srv.api('GET', `/api/v1/disputes/${id}`, undefined, token)
  return srv.api('POST', `/api/v1/disputes/${id}/actions/${action}`, body, token, { 'If-Match': `"${c.version}"` })
}

// An el-select opened and one of its options clicked by its words
async function choose (page, test, words) {
  await page.click(`[data-test=${test}]`)
  await page.locator('.el-select-dropdown__item:visible', { hasText: words }).first().click()
}

// A grid chosen in the region tree: 兰山区 › 测试街道 › 东关社区居委会 › the grid
async function chooseGrid (page, test, grid) {
  await page.click(`.el-select[data-test=${test}]`) // the tree in its popper carries the name too
  for (const name of ['兰山区', '测试街道', '东关社区居委会']) {
    const node = page.locator('.el-tree-node__content:visible', { hasText: name }).first()
    await node.waitFor()
    if (await node.locator('.el-tree-node__expand-icon.expanded').count() === 0) await node.locator('.el-tree-node__expand-icon').click()
  }
  await page.locator('.el-tree-node__content:visible', { hasText: grid }).first().click()
}

const state = page => page.getAttribute('[data-test=d-state]', 'data-state')

// One step of the case from its action panel: the button, the form filled, sent; then the
// page shows the state (or, for a step that keeps it, one more such step on the timeline)
async function step (page, action, fill, after) {
  const before = await page.locator(`[data-test=d-step-${action}]`).count()
  await page.click(`[data-test=dact-${action}]`)
  await page.waitForSelector('[data-test=dact-submit]:visible')
  if (fill) await fill()
  await page.click('[data-test=dact-submit]:visible')
  if (after) await page.waitForSelector(`[data-test=d-state][data-state=${after}]`)
  else await page.waitForFunction(([a, n]) => document.querySelectorAll(`[data-test=d-step-${a}]`).length > n, [action, before])
}

test('disputes: a supervisor registers a case and takes it to the file', async ({ page, base, assert, srv, shot }) => {
  await uiLogin(page, base, 'super1')
  await page.click('[data-test=nav-disputes]')
  await page.waitForSelector('[data-test=disputes]')
  await page.click('[data-test=dp-new]')
  await page.waitForSelector('[data-test=dp-dialog]')
  await choose(page, 'dp-source', '来访')
  await choose(page, 'dp-type', '邻里纠纷')
  await page.click('[data-test=dp-risk-orange]')
  await page.fill('[data-test=dp-description]', '东关社区3号楼楼上卫生间漏水，渗到楼下卧室墙面发霉，双方就维修和赔偿费用争执不下，多次争吵')
  await page.fill('[data-test=dp-amount] input', '3200.5')
  await chooseGrid(page, 'dp-grid', '东关社区第1网格')
  await page.fill('[data-test=dp-p-name-0]', '王秀英')
  await page.fill('[data-test=dp-p-id-0]', '110105194912310021') // its check digit is wrong
  await page.fill('[data-test=dp-p-phone-0]', '13800138000')
  await page.fill('[data-test=dp-p-name-1]', '李建国')
  await page.fill('[data-test=dp-p-phone-1]', '13912345678')
  await page.click('[data-test=dp-save]')
  // the server's 400 beside the party it names, and nothing stored
  await page.waitForSelector('[data-test=dp-err-party-0]')
  const said = await page.textContent('[data-test=dp-err-party-0]')
  assert(said.includes('证件号码'), 'the ID number named at the first party: ' + said)
  assert(await page.locator('[data-test=dp-server]').count() === 1, 'the server\'s own words kept beside it')
  await shot('disputes-new-bad-id')
  await page.fill('[data-test=dp-p-id-0]', '11010519491231002X')
  await page.click('[data-test=dp-save]')
  // the parties' tracking code, shown once where the server gives one
  const code = page.locator('.dp-code')
  await Promise.race([code.waitFor(), page.waitForURL(/\/disputes\/\d+$/)])
  if (await code.count()) {
    assert((await code.textContent()).includes('查询码'), 'the tracking code said')
    await shot('disputes-new-code')
    await code.locator('.el-button--primary').click()
  }
  await page.waitForURL(/\/disputes\/\d+$/)
  walk.id = Number(page.url().split('/').pop())
  assert(await state(page) === 'registered', 'registered')
  assert(await page.getAttribute('[data-test=d-risk]', 'data-risk') === 'orange', 'orange')
  const parties = await page.textContent('[data-test=d-parties]')
  assert(parties.includes('王*') && parties.includes('110105********002X') && parties.includes('138****8000') && !parties.includes('王秀英'), 'the parties masked: ' + parties)
  assert((await page.textContent('[data-test=d-facts]')).includes('3200.5 元'), 'the sum in yuan')

  const sup = await srv.login('super1')
  const recorded = async () => (await srv.api('GET', `/api/v1/disputes/${walk.id}`, undefined, sup)).timeline
  // accepted by the county's centre and given to its mediator, where bodies are served
  let centre = null
  if (await statusOf(srv, '/api/v1/mediation-bodies', sup) !== 404) {
    centre = await srv.api('POST', '/api/v1/mediation-bodies', {
      name: '兰山区矛盾纠纷调处中心', kind: 'county_centre', region: '371302', address: '兰山区政务服务中心三楼', phone: '0539-8765432',
      members: [{ username: 'med1', full_time: true, specialities: ['neighbours', 'house_land'] }]
    }, sup)
  }
  await step(page, 'accept', centre && (async () => {
    await choose(page, 'df-body', '兰山区矛盾纠纷调处中心')
    await choose(page, 'df-mediator', 'med1')
    await page.fill('[data-test=df-note]', '当日受理，指定专职调解员')
  }), 'accepted')
  if (centre) {
    assert((await page.textContent('[data-test=d-body]')).includes('兰山区矛盾纠纷调处中心'), 'the body shown')
    assert((await page.textContent('[data-test=d-mediator]')).includes('med1'), 'the mediator shown')
    await page.waitForSelector('[data-test=d-due]') // the county's clock runs from acceptance
  }
  await step(page, 'mediate', () => page.fill('[data-test=df-note]', '双方同意由社区调解'), 'mediating')
  await step(page, 'session', async () => {
    await page.fill('[data-test=df-place]', '东关社区人民调解室')
    await page.fill('[data-test=df-attendees]', '王秀英、李建国、调解员张桂兰、物业公司刘经理')
    await page.fill('[data-test=df-record]', '物业查明漏水系楼上卫生间防水层老化所致。李建国同意修复防水层，并赔偿楼下墙面修复费用。')
  })
  await shot('disputes-session')
  await step(page, 'agree', async () => {
    await page.fill('[data-test=df-facts]', '楼上卫生间防水层老化致楼下卧室墙面受损，责任在李建国一方')
    await page.fill('[data-test=df-terms]', '一、李建国于十日内请人修复卫生间防水层；二、李建国赔偿王秀英墙面修复费用三千二百元')
    await page.fill('[data-test=df-performance]', '2026年12月20日前修复完毕，赔偿款当场以微信转账支付')
  }, 'agreed')
  const steps = await recorded()
  if (steps.some(e => 'record' in e)) {
    // each step's record on the timeline (served since the server keeps it)
    const tl = await page.textContent('[data-test=d-timeline]')
    assert(tl.includes('东关社区人民调解室') && tl.includes('防水层老化') && tl.includes('书面协议'), 'the session and the agreement on the timeline: ' + tl)
  } else console.log('  (the server does not answer the steps\' records yet: the timeline shows the steps alone)')
  assert(await page.getAttribute('[data-test=d-end-level]', 'data-level') !== '', 'ended at its level')
  await page.waitForSelector('[data-test=d-pdf]')
  if (await statusOf(srv, `/api/v1/disputes/${walk.id}/agreement.pdf`, sup) === 200) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=d-pdf]')])
    assert(dl.suggestedFilename().endsWith('.pdf'), 'the agreement downloaded: ' + dl.suggestedFilename())
  } else console.log('  (agreement.pdf is not served yet: the button says why)')
  await shot('disputes-agreed')
  await step(page, 'perform', () => page.fill('[data-test=df-note]', '防水层已修复，赔偿款已付清'), 'performed')
  await step(page, 'follow_up', () => page.fill('[data-test=df-note]', '回访双方，邻里关系已恢复'), 'followed_up')
  await step(page, 'archive', null, 'archived')
  assert(await page.locator('[data-test=d-actions] [data-test^=dact-]').count() <= 1, 'an archived case leaves at most a note to write')
  const bad = await untranslated(page)
  assert(!bad.length, 'the case page in Chinese: ' + bad.join(' '))
  await shot('disputes-archived')
})

test('disputes: a case refused with its reason; a step needs what its form asks', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  const c = await srv.api('POST', '/api/v1/disputes', quarrel({
    source: 'resident', type: 'debt', risk: 'green', amount: 50000, grid: GRID2,
    description: '张某称借给同村赵某五万元未还，要求社区调解；双方已在法院起诉立案',
    parties: [{ role: 'applicant', name: '张德明', phone: '13605391234' }, { role: 'respondent', name: '赵志强' }]
  }), sup)
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/disputes/' + c.id)
  await page.waitForSelector('[data-test=dact-refuse]')
  assert((await page.textContent('[data-test=d-facts]')).includes('5 万元'), 'a large sum in 万元')
  // the parties lost their code: a new one, shown once, and the old one stops working
  if (c.code) {
    await page.click('[data-test=d-new-code]')
    await page.locator('.el-message-box .el-button--primary').click()
    const box = page.locator('.dp-code')
    await box.waitFor()
    const fresh = /查询码：(\S+?)。/.exec(await box.textContent())[1]
    assert(fresh && fresh !== c.code, 'a new code: ' + fresh)
    await box.locator('.el-button--primary').click()
    const res = await fetch(srv.base + '/api/v1/public/disputes/' + encodeURIComponent(c.code))
    assert(res.status === 404, 'the old code no longer answers: ' + res.status)
  }
  await page.click('[data-test=dact-refuse]')
  await page.waitForSelector('[data-test=dact-submit]:visible')
  await page.click('[data-test=dact-submit]:visible')
  await page.waitForSelector('.el-message--warning')
  assert((await page.textContent('.el-message--warning')).includes('理由'), 'the reason is asked for')
  await page.fill('[data-test=df-reason]', '该纠纷已由人民法院立案受理，依法不再调解')
  await page.click('[data-test=dact-submit]:visible')
  await page.waitForSelector('[data-test=d-state][data-state=refused]')
  const tl = await page.textContent('[data-test=d-timeline]')
  assert(tl.includes('依法不再调解'), 'the reason on the timeline: ' + tl)
  await shot('disputes-refused')
})

test('disputes: a grid worker\'s case escalated to the village, taken there', async ({ page, base, assert, srv, shot, browser }) => {
  const gw = await srv.login('grid1')
  const c = await srv.api('POST', '/api/v1/disputes', quarrel({
    source: 'gridworker', type: 'house_land', risk: 'yellow',
    description: '两户宅基地边界争议，一方新砌围墙占用通道约半米，另一方要求拆除',
    parties: [{ role: 'applicant', name: '孙立华' }, { role: 'respondent', name: '周文斌' }]
  }), gw)
  assert(c.level === 'grid', 'a grid worker\'s case starts at the grid')
  await uiLogin(page, base, 'grid1')
  await page.goto(base + '/disputes/' + c.id)
  await step(page, 'accept', null, 'accepted')
  await step(page, 'escalate', () => page.fill('[data-test=df-reason]', '双方分歧大，涉及宅基地确权，网格内无法化解'), 'registered')
  assert(await page.getAttribute('[data-test=d-level]', 'data-level') === 'village', 'registered again at the village')
  await shot('disputes-escalated')
  // the village's committee takes it
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const other = await ctx.newPage()
  try {
    await uiLogin(other, base, 'comm1')
    await other.goto(base + '/disputes/' + c.id)
    await step(other, 'accept', null, 'accepted')
    assert(await other.getAttribute('[data-test=d-level]', 'data-level') === 'village', 'accepted at the village')
  } finally { await ctx.close() }
})

test('disputes: a step that lost the race is said plainly and the case read again', async ({ page, base, assert, srv }) => {
  const sup = await srv.login('super1')
  const c = await srv.api('POST', '/api/v1/disputes', quarrel({ type: 'property', description: '业主与物业公司因停车费上涨发生争执，数十户业主拒交物业费' }), sup)
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/disputes/' + c.id)
  await page.waitForSelector('[data-test=dact-accept]')
  // someone else accepts it meanwhile
  await apiStep(srv, sup, c.id, 'accept')
  await page.click('[data-test=dact-accept]')
  await page.waitForSelector('[data-test=dact-submit]:visible')
  await page.click('[data-test=dact-submit]:visible')
  await page.waitForSelector('.el-message--error')
  const said = await page.textContent('.el-message--error')
  assert(said.includes('已被他人更新'), 'a 412 in plain Chinese: ' + said)
  await page.waitForSelector('[data-test=d-state][data-state=accepted]')
  // supervised: the badge on the case and on the desk
  await step(page, 'supervise', () => page.fill('[data-test=df-note]', '涉及数十户业主，请三日内拿出调解方案'))
  await page.waitForSelector('[data-test=d-supervised]')
  await page.goto(base + '/disputes')
  await page.waitForSelector(`[data-test=dsup-${c.id}]`)
})

test('disputes: the desk filters by risk colour, state and level, and sorts by deadline', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  const made = []
  for (const [risk, type, description] of [
    ['red', 'land_taking', '村民聚集反映征地补偿款发放不到位，情绪激动，扬言到市里上访'],
    ['orange', 'labour', '建筑工地二十余名农民工讨要拖欠工资，聚集在项目部门口'],
    ['green', 'marriage_family', '夫妻因赡养老人问题发生口角，女方回娘家居住']
  ]) made.push(await srv.api('POST', '/api/v1/disputes', quarrel({ risk, type, description }), sup))
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/disputes')
  await page.waitForSelector('[data-test=disputes] [data-test^=dispute-]')
  await page.click('[data-test=dp-f-risk-red]')
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=disputes] [data-risk]')].every(e => e.dataset.risk === 'red'))
  const reds = await page.$$eval('[data-test=disputes] [data-risk]', els => els.length)
  assert(reds >= 1, 'the red cases: ' + reds)
  await shot('disputes-desk-red')
  await page.click('[data-test=dp-f-risk-red]') // off again
  await choose(page, 'dp-f-state', '已登记')
  await page.waitForFunction(() => {
    const s = [...document.querySelectorAll('[data-test=disputes] [data-state]')]
    return s.length && s.every(e => e.dataset.state === 'registered')
  })
  // the level and the deadline, once the server filters by them
  const c0 = await srv.api('GET', '/api/v1/disputes?limit=1', undefined, sup)
  if (c0.disputes.length && 'due_at' in c0.disputes[0]) {
    await choose(page, 'dp-f-level', '县(区)')
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=disputes] [data-level]')].every(e => e.dataset.level === 'county'))
    await choose(page, 'dp-f-sort', '按时限排序')
    await page.waitForSelector('[data-test=disputes]')
    await shot('disputes-desk-due')
    // past due only: the request says so, and every case shown is past its time box
    const asked = page.waitForRequest(r => r.url().includes('/api/v1/disputes?') && r.url().includes('overdue=1'))
    await page.click('[data-test=dp-f-overdue]')
    await asked
    await page.waitForLoadState('networkidle')
    assert(await page.$$eval('[data-test=disputes] .el-table__row [data-light]', els => els.every(e => e.dataset.light === 'red')), 'only red lights when overdue')
    await page.click('[data-test=dp-f-overdue]')
  } else console.log('  (the server keeps no time boxes yet: the level and deadline filters wait for it)')
  const bad = await untranslated(page)
  assert(!bad.length, 'the desk in Chinese: ' + bad.join(' '))
  await shot('disputes-desk')
  // the figures tab: this month's, by level
  await page.getByRole('tab', { name: '统计' }).click()
  await page.waitForFunction(() => document.querySelector('[data-test=fg-unavailable]') || document.querySelector('[data-test=fg-low-share]'))
  if (await page.locator('[data-test=fg-low-share]').count()) {
    assert(Number(await page.getAttribute('[data-test=fg-found]', 'data-value')) >= 3, 'the cases registered this month counted')
    await choose(page, 'fg-by', '按化解层级')
    await page.waitForSelector('[data-test=fg-rows] .el-table__row')
    const rows = await page.textContent('[data-test=fg-rows]')
    assert(rows.includes('县(区)') && !/\d+\.\d{2,}%/.test(rows), 'rows by level, shares rounded: ' + rows)
    const bad2 = await untranslated(page)
    assert(!bad2.length, 'the figures in Chinese: ' + bad2.join(' '))
    await shot('disputes-figures')
  }
  // the same desk in English
  await page.click('[data-test=lang]')
  await page.waitForSelector('text=Dispute register')
  assert(!/[\u4e00-\u9fff]/.test(await page.textContent('[data-test=nav-disputes]')), 'the menu in English')
  await page.click('[data-test=lang]')
})

test('disputes: a mediator records a session and the agreement on a phone (390x844)', async ({ browser, base, assert, srv }) => {
  const sup = await srv.login('super1')
  const c = await srv.api('POST', '/api/v1/disputes', quarrel({
    type: 'traffic', risk: 'yellow', grid: GRID,
    description: '电动车与行人在社区路口相撞，行人轻微擦伤，双方就医药费赔偿协商不成',
    parties: [{ role: 'applicant', name: '陈桂芳', phone: '15005391111' }, { role: 'respondent', name: '刘洋', phone: '15005392222' }]
  }), sup)
  const other = await srv.api('POST', '/api/v1/disputes', quarrel({ type: 'damages', description: '邻居家的狗咬伤老人，双方就医疗费协商未果' }), sup)
  // given to the mediator where mediation bodies are served; else the mediator's scope shows it
  let body = null
  if (await statusOf(srv, '/api/v1/mediation-bodies', sup) !== 404) {
    body = await srv.api('POST', '/api/v1/mediation-bodies', {
      name: '东关社区人民调解委员会', kind: 'village_committee', region: '371302001001', address: '东关社区党群服务中心二楼', phone: '0539-8123456',
      members: [{ username: 'med1', full_time: true, specialities: ['neighbours', 'traffic', 'damages'] }]
    }, sup)
    await apiStep(srv, sup, c.id, 'accept', { body: body.id, mediator: 'med1' })
  } else await apiStep(srv, sup, c.id, 'accept')
  await apiStep(srv, sup, c.id, 'mediate')
  const ctx = await browser.newContext(PHONE)
  const page = await ctx.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  try {
    await uiLogin(page, base, 'med1')
    await page.waitForURL(/\/my-disputes$/)
    const card = page.locator(`[data-test=my-case-${c.id}]`)
    await card.waitFor()
    if (body) {
      const ids = await page.$$eval('[data-test^=my-case-]', els => els.map(e => Number(e.dataset.test.slice(8))))
      for (const id of ids) {
        const got = await srv.api('GET', `/api/v1/disputes/${id}`, undefined, sup)
        assert(got.mediator === 'med1', `case ${id} on the mediator's list is given to them`)
      }
      assert(!ids.includes(other.id), 'a case given to no one is not on the mediator\'s list')
    }
    await shot(page, 'disputes-mediator-390')
    await card.click()
    await page.waitForURL(/\/disputes\/\d+$/)
    await step(page, 'session', async () => {
      await page.click('[data-test=df-online]')
      await page.fill('[data-test=df-attendees]', '陈桂芳、刘洋、调解员')
      await page.fill('[data-test=df-record]', '视频调解：刘洋承认未减速避让，同意承担医药费')
    })
    await shot(page, 'disputes-mediator-session-390')
    await step(page, 'agree', async () => {
      await choose(page, 'df-form', '口头协议')
      await page.fill('[data-test=df-facts]', '刘洋驾驶电动车未减速避让，致陈桂芳擦伤')
      await page.fill('[data-test=df-terms]', '刘洋赔偿医药费及误工费共计一千二百元')
      await page.fill('[data-test=df-performance]', '当场以现金支付')
    }, 'agreed')
    const wide = await page.evaluate(() => document.documentElement.scrollWidth)
    assert(wide <= 400, 'the case page fits the phone: ' + wide)
    await shot(page, 'disputes-mediator-agreed-390')
    // the whole desk at phone width: cards, not a table
    await page.goto(base + '/disputes')
    await page.waitForSelector(`[data-test=dcard-${c.id}]`)
    assert(await page.evaluate(() => document.documentElement.scrollWidth) <= 400, 'the desk fits the phone')
    await shot(page, 'disputes-desk-390')
    assert(!errors.length, 'no script errors: ' + errors.join('; '))
  } finally { await ctx.close() }
})

test('disputes: mediation bodies listed and kept with their mediators', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  await srv.api('POST', '/api/v1/users', { username: 'med2', role: 'mediator', scope: '371302001', name: '张桂兰' }, srv.admin).catch(() => null)
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/mediation-bodies')
  if (await statusOf(srv, '/api/v1/mediation-bodies', sup) === 404) {
    await page.waitForSelector('[data-test=mb-unavailable]')
    console.log('  (mediation bodies are not served yet: the page says so)')
    await shot('disputes-bodies-unavailable')
    return
  }
  await page.waitForSelector('[data-test=mb-new]')
  await page.click('[data-test=mb-new]')
  await page.fill('[data-test=mb-name]', '测试街道人民调解委员会')
  await choose(page, 'mb-kind', '乡镇(街道)人民调解委员会')
  await page.click('.el-select[data-test=mb-region]')
  const node = page.locator('.el-tree-node__content:visible', { hasText: '兰山区' }).first()
  await node.locator('.el-tree-node__expand-icon').click()
  await page.locator('.el-tree-node__content:visible', { hasText: '测试街道' }).first().click()
  await page.fill('[data-test=mb-address]', '测试街道办事处一楼')
  await page.fill('[data-test=mb-m-user-0]', 'grid1') // a grid worker is no mediator
  await page.click('[data-test=mb-save]')
  await page.waitForSelector('[data-test=mb-err-member-0]')
  await shot('disputes-body-bad-member')
  await page.fill('[data-test=mb-m-user-0]', 'med1')
  await choose(page, 'mb-m-spec-0', '婚姻家庭')
  await page.click('[data-test=mb-save]')
  await page.waitForSelector('.el-message--success')
  const row = page.locator('[data-test=mb-list] .el-table__row', { hasText: '测试街道人民调解委员会' })
  await row.waitFor()
  await row.getByText('专职').waitFor()
  // edited: a second mediator, part time
  await row.locator('[data-test^=mb-edit-]').click()
  await page.waitForSelector('[data-test=mb-m-user-0]:visible')
  assert(await page.inputValue('[data-test=mb-m-user-0]') === 'med1', 'the mediator read back')
  await page.click('[data-test=mb-add-member]')
  await page.fill('[data-test=mb-m-user-1]', 'med2')
  await page.locator('[data-test=mb-member-1]').getByText('兼职').click()
  await page.click('[data-test=mb-save]')
  await page.waitForSelector('[data-test=mb-dialog]', { state: 'hidden' })
  await row.getByText('兼职').waitFor()
  const bad = await untranslated(page)
  assert(!bad.length, 'the bodies in Chinese: ' + bad.join(' '))
  await shot('disputes-bodies')
})

test('disputes: the screening calendar takes a week\'s result', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/screenings')
  if (await statusOf(srv, '/api/v1/screenings', sup) === 404) {
    await page.waitForSelector('[data-test=sc-unavailable]')
    console.log('  (screenings are not served yet: the page says so)')
    await shot('disputes-screenings-unavailable')
    return
  }
  await page.waitForSelector('[data-test=sc-calendar]')
  const task = page.locator('[data-test^=sc-task-][data-state=open], [data-test^=sc-task-][data-state=overdue]').first()
  await task.waitFor({ timeout: 10000 })
  await shot('disputes-screenings')
  const id = (await task.getAttribute('data-test')).replace('sc-task-', '')
  await task.click()
  await page.waitForSelector('[data-test=sc-found]')
  await page.waitForSelector('[data-test=sc-nothing]') // 0 is a result: 无异常
  await page.fill('[data-test=sc-note]', '逐户走访，未发现矛盾纠纷苗头')
  await page.click('[data-test=sc-save]')
  await page.waitForSelector(`[data-test=sc-task-${id}][data-state=done]`)
  assert((await page.textContent(`[data-test=sc-task-${id}]`)).includes('无异常'), 'the day shows nothing found')
  await shot('disputes-screenings-done')
  // corrected: one dispute found after all, linked to its case
  await page.waitForSelector('[data-test=sc-dialog]', { state: 'hidden' })
  await page.click(`[data-test=sc-task-${id}]`)
  await page.waitForSelector('[data-test=sc-found]:visible')
  await page.fill('[data-test=sc-found] input', '1')
  await page.locator('[data-test=sc-found] input').blur()
  await page.waitForSelector('.el-select[data-test=sc-cases]')
  await page.click('.el-select[data-test=sc-cases]')
  const option = page.locator('.el-select-dropdown__item:visible').first()
  if (await option.count()) await option.click()
  await page.keyboard.press('Escape')
  await page.click('[data-test=sc-save]')
  await page.waitForFunction(i => document.querySelector(`[data-test=sc-task-${i}]`)?.textContent.includes('发现 1 起'), id)
  const bad = await untranslated(page)
  assert(!bad.length, 'the calendar in Chinese: ' + bad.join(' '))
})

test('disputes: the dashboard pins red and orange cases and shows the figures', async ({ page, base, assert, srv, shot }) => {
  const sup = await srv.login('super1')
  const red = await srv.api('POST', '/api/v1/disputes', quarrel({
    risk: 'red', type: 'land_taking', grid: WEST, description: '西关社区拆迁户十余人聚集，对安置房分配结果不满，情绪激烈'
  }), sup)
  await uiLogin(page, base, 'leader1')
  await page.goto(base + '/dashboard')
  const pin = page.locator(`[data-test=db-case-${red.id}]`)
  await pin.waitFor()
  await page.waitForSelector('[data-test=fg-panel]')
  await page.waitForFunction(() => document.querySelector('[data-test=fg-unavailable]') || document.querySelector('[data-test=fg-low-share]'))
  if (await page.locator('[data-test=fg-low-share]').count()) {
    const text = await page.textContent('[data-test=fg-panel]')
    assert(!/\d+\.\d{2,}%/.test(text), 'shares rounded: ' + text)
    assert(text.includes('90%'), 'the target stated: ' + text)
  } else console.log('  (the dispute figures are not served yet: the panel says so)')
  await shot('disputes-dashboard')
  await pin.click()
  await page.waitForURL(new RegExp(`/disputes/${red.id}$`))
  // a leader reads, and takes a red case
  await page.waitForSelector('[data-test=dact-take]')
  assert(await page.locator('[data-test=dact-accept]').count() === 0, 'a leader does not accept')
  await step(page, 'take', () => page.fill('[data-test=df-note]', '本人包案，三日内召集街道、社区和拆迁办联合接访'))
  assert((await page.textContent('[data-test=d-facts]')).includes('leader1'), 'the leader in charge shown')
  assert(await page.locator('[data-test=dact-take]').count() === 0, 'taken once')
  await page.goto(base + '/disputes')
  await page.waitForSelector('[data-test=disputes]')
  assert(await page.locator('[data-test=dp-new]').count() === 0, 'a leader reads cases and records none')
})

test('disputes: an appeal on the joint-conference line becomes a case, and the order hears back', async ({ page, base, assert, srv, shot }) => {
  const agent = await srv.login('agent1')
  const sup = await srv.login('super1')
  const o = await srv.api('POST', '/api/v1/orders', {
    channel: 'hotline', type: 'complaint', item: '06028', title: '邻居违建遮挡采光', content: '后排邻居加盖二层，挡住我家窗户采光，多次协商不成',
    lon: 118.3055, lat: 35.0055, reporter: { name: '郑丽华', phone: '13705391234' }
  }, agent)
  await uiLogin(page, base, 'super1')
  await page.goto(base + '/orders/' + o.id)
  // routed to the joint conference: the same step opens a case of the order
  await page.click('[data-test=act-route_line]')
  await choose(page, 'field-line', '联席会议')
  await choose(page, 'field-dispute_type', '房屋宅基地')
  await choose(page, 'field-risk', '黄色')
  await page.click('[data-test=act-submit]')
  const link = page.locator('[data-test^=o-dispute-]').first()
  await link.waitFor()
  await link.click()
  await page.waitForURL(/\/disputes\/\d+$/)
  const id = Number(page.url().split('/').pop())
  await page.waitForSelector('[data-test=d-order]')
  assert((await page.textContent('[data-test=d-order]')).includes(o.number), 'the case links its order by number')
  assert(await page.getAttribute('[data-test=d-risk]', 'data-risk') === 'yellow', 'the risk chosen on the order')
  // the neighbour, found later, added as the respondent
  assert((await page.textContent('[data-test=d-parties]')).includes('郑*'), 'the reporter is the applicant')
  await step(page, 'party', async () => {
    await choose(page, 'df-role', '被申请人')
    await page.fill('[data-test=df-name]', '冯国强')
    await page.fill('[data-test=df-phone]', '13905397777')
  })
  await page.waitForFunction(() => document.querySelector('[data-test=d-parties]').textContent.includes('冯*'))
  // agreed: the order hears back on its timeline, and lists the case
  for (const [a, b] of [['accept', {}], ['mediate', {}], ['agree', { form: 'written', facts: '加盖部分遮挡前排采光', terms: '冯国强拆除二层北侧挑檐一米', performance: '2027年1月15日前拆除完毕' }]]) await apiStep(srv, sup, id, a, b)
  await page.click('[data-test=d-order]')
  await page.waitForURL(new RegExp(`/orders/${o.id}$`))
  await page.waitForSelector(`[data-test=o-dispute-${id}]`)
  const tl = await page.textContent('[data-test=timeline]')
  assert(tl.includes('纠纷化解答复') && tl.includes('达成协议'), 'the dispute line\'s reply on the order: ' + tl)
  await page.waitForSelector('.el-message', { state: 'detached' }) // the case's number said when it was registered
  const bad = await untranslated(page)
  assert(!bad.length, 'the order page in Chinese: ' + bad.join(' '))
  await shot('disputes-order-reply')
})
