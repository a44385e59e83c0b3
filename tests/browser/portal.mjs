// The residents' portal at /m/ on a phone-sized screen: file an appeal with a photo and a
// place picked on the map, get the tracking code, follow it, and rate it once the unit has
// answered (the centre's and the unit's steps are taken through the API).
export const portalTests = []
const test = (name, fn) => portalTests.push([name, fn])

// A real (tiny) PNG: the server checks a photo by its first bytes
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201' + 'a5f6a3a50000000049454e44ae426082', 'hex')

async function act (srv, token, id, action, body = {}) {
  const o = await srv.api('GET', `/api/v1/orders/${id}`, undefined, token)
  return srv.api('POST', `/api/v1/orders/${id}/actions/${action}`, body, token, { 'If-Match': `"${o.version}"` })
}

test('portal: submit with a photo and a map pick, follow, rate after the reply', async ({ page, context, srv, base, assert, shot }) => {
  const outside = []
  page.on('request', r => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) outside.push(r.url()) })
  await page.setViewportSize({ width: 390, height: 844 })
  await context.grantPermissions(['geolocation'], { origin: base })
  await context.setGeolocation({ latitude: 35.0031, longitude: 118.3032 })
  await page.goto(base + '/m/')
  await page.waitForSelector('[data-test=type-green]')
  assert((await page.textContent('h1')).includes('群众诉求'), 'Chinese first')

  // nothing chosen yet: the form says what is missing, in the API's words where it can
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=error]')

  await page.click('[data-test=type-green]')
  await page.selectOption('[data-test=item]', '06906')
  await page.fill('[data-test=text]', '小区东门垃圾桶满了好几天没人清运，希望尽快处理')
  await page.setInputFiles('[data-test=photos]', { name: 'bin.png', mimeType: 'image/png', buffer: PNG })
  await page.waitForSelector('.thumbs img')
  await page.click('[data-test=gps]')
  await page.waitForSelector('[data-test=picked]')
  assert((await page.textContent('[data-test=picked]')).includes('118.30320'), 'the GPS point is shown')
  // the map pick replaces it: the map opens on the point, a tap a little south-east of it is
  // still inside 东关社区第1网格 (no tiles configured: the district's box on a plain ground)
  // a map closed at once, while it still moves to the point, leaves no script error behind
  await page.click('[data-test=map-open]')
  await page.waitForSelector('[data-test=pick-map] .leaflet-overlay-pane path')
  await page.click('[data-test=map-open]')
  await page.waitForSelector('[data-test=pick-map]', { state: 'detached' })
  await page.waitForTimeout(400)
  await page.click('[data-test=map-open]')
  await page.waitForSelector('[data-test=pick-map] .leaflet-overlay-pane path')
  await page.locator('[data-test=pick-map]').scrollIntoViewIfNeeded()
  const box = await page.locator('[data-test=pick-map]').boundingBox()
  await page.mouse.click(box.x + box.width / 2 + 40, box.y + box.height / 2 + 40)
  await page.waitForFunction(() => document.querySelector('[data-test=picked]').textContent.includes('地图'))
  await page.fill('[data-test=address]', '东关社区东门')
  await page.click('[data-test=contact-phone]')
  await page.fill('[data-test=phone]', '13712340000')
  await shot('portal-form')
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=done]')
  const code = (await page.textContent('[data-test=code]')).trim()
  assert(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/.test(code), 'a tracking code: ' + code)
  await shot('portal-code')

  // the centre sees the appeal, with its photo, located to its grid
  const agent = await srv.login('agent1')
  const found = await srv.api('GET', '/api/v1/orders?phone=13712340000', undefined, agent)
  assert(found.orders.length === 1, 'the centre finds the appeal by phone')
  const order = await srv.api('GET', `/api/v1/orders/${found.orders[0].id}`, undefined, agent)
  assert(order.channel === 'app' && order.type === 'wish' && order.item === '06906', 'channel, type, item: ' + JSON.stringify(order))
  assert(order.grid === '371302001001001' && order.photos.length === 1, 'located and with its photo: ' + JSON.stringify(order))
  assert(order.title.startsWith('【心愿】'), 'the bag heads the title')

  // follow: no rating before the answer
  await page.click('[data-test=follow-new]')
  await page.waitForSelector('[data-test=view]')
  assert((await page.textContent('[data-test=state]')).includes('已受理'), 'received')
  assert(await page.locator('[data-test=rate-form]').count() === 0, 'no rating before the reply')

  // the centre dispatches, the unit signs, notes something internal and answers
  const handler = await srv.login('handler1')
  await act(srv, agent, order.id, 'dispatch', { unit: 'cgzf' })
  await act(srv, handler, order.id, 'sign')
  await act(srv, handler, order.id, 'note', { note: '内部：联系了环卫王班长' })
  await act(srv, handler, order.id, 'reply', { result: '已清运，并增加东门垃圾桶清运频次' })

  await page.click('[data-test=look]')
  await page.waitForSelector('[data-test=rate-form]')
  assert((await page.textContent('[data-test=state]')).includes('已答复'), 'replied')
  assert((await page.textContent('[data-test=reply]')).includes('已清运'), 'the reply is shown')
  const timeline = await page.textContent('[data-test=timeline]')
  assert(timeline.includes('城管执法局') && !timeline.includes('王班长') && !timeline.includes('handler1'), 'the public timeline only: ' + timeline)
  assert((await page.textContent('[data-test=view]')).includes('照片 1 张'), 'one photo')
  await page.waitForFunction(() => { const i = document.querySelector('[data-test=own-photos] img'); return i && i.complete && i.naturalWidth === 1 })
  await page.click('[data-test=sat-satisfied]')
  await page.click('[data-test=resolved-yes]')
  await page.fill('[data-test=comment]', '处理很及时')
  await page.click('[data-test=rate]')
  await page.waitForSelector('[data-test=rating]')
  assert((await page.textContent('[data-test=rating]')).includes('满意'), 'the rating is shown')
  await shot('portal-rated')
  const after = await srv.api('GET', `/api/v1/orders/${order.id}`, undefined, agent)
  assert(after.timeline.some(e => e.action === 'rate' && e.actor === 'resident'), 'the centre sees the rating')

  // English on request; the code list of this phone
  await page.click('[data-test=lang]')
  assert((await page.textContent('h1')).includes('appeals'), 'English')
  await page.click('[data-test=lang]')
  await page.reload()
  await page.click('[data-test=tab-follow]')
  await page.waitForSelector('.mine button')
  assert((await page.textContent('.mine')).includes(code), 'this phone remembers its code')
  // an unknown code: the API's 404, said plainly
  await page.fill('[data-test=code-input]', 'ABCD-EFGH-JKMN-PQRS')
  await page.click('[data-test=look]')
  await page.waitForSelector('[data-test=follow-error]')
  assert(!outside.length, 'nothing loaded from outside: ' + outside.join(', '))
})

test('portal: a resident finds the place by its address and files the appeal there', async ({ page, srv, base, assert, shot }) => {
  const b = await srv.api('POST', '/api/v1/buildings', {
    name: '金雀山花园3号楼', address: '兰山区测试街道东关社区金雀山路18号3号楼',
    lon: 118.305, lat: 35.005, floors: 6, use: 'residential'
  }, srv.admin)
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(base + '/m/')
  await page.waitForSelector('[data-test=type-green]')
  await page.click('[data-test=type-green]')
  await page.fill('[data-test=text]', '金雀山花园3号楼门口的路灯坏了一个多星期，晚上出入很不方便')
  // a word nobody wrote: said so, nothing picked
  await page.fill('[data-test=place-query]', '没有这个小区')
  await page.click('[data-test=place-find-go]')
  await page.waitForSelector('[data-test=place-found-none]')
  // the estate's name finds the building; picking it places the appeal and fills the address
  await page.fill('[data-test=place-query]', '金雀山花园')
  await page.press('[data-test=place-query]', 'Enter')
  await page.waitForSelector('[data-test=place-building]')
  await shot('portal-address-search')
  await page.click('[data-test=place-building]')
  await page.waitForSelector('[data-test=picked]')
  assert((await page.textContent('[data-test=picked]')).includes('118.30500'), 'the building\'s point is chosen')
  assert((await page.inputValue('[data-test=address]')) === b.address, 'the address line is filled')
  await page.click('[data-test=contact-phone]')
  await page.fill('[data-test=phone]', '13712345566')
  await page.click('[data-test=submit]')
  await page.waitForSelector('[data-test=done], [data-test=error]')
  assert(await page.locator('[data-test=error]').count() === 0, 'filed: ' + (await page.locator('[data-test=error]').count() ? await page.textContent('[data-test=error]') : ''))
  const agent = await srv.login('agent1')
  const found = await srv.api('GET', '/api/v1/orders?phone=13712345566', undefined, agent)
  const order = await srv.api('GET', `/api/v1/orders/${found.orders[0].id}`, undefined, agent)
  assert(order.grid === '371302001001001', 'located to the building\'s grid: ' + order.grid)
  assert(order.address === b.address, 'with its standard address: ' + order.address)
})

test('portal: a party follows their dispute case by its code, on a phone', async ({ page, srv, base, assert, shot }) => {
  const sup = await srv.login('super1')
  const c = await srv.api('POST', '/api/v1/disputes', {
    source: 'walk_in', type: 'neighbours', risk: 'yellow', grid: '371302001001001',
    description: '楼上住户装修噪声扰民，双方多次争吵',
    parties: [{ role: 'applicant', name: '赵桂兰', phone: '13812345678' }, { role: 'respondent', name: '孙志强' }]
  }, sup)
  let cur = c
  const step = async (name, body = {}) => {
    cur = await srv.api('POST', `/api/v1/disputes/${cur.id}/actions/${name}`, body, sup, { 'If-Match': `"${cur.version}"` })
  }
  await step('accept')
  await step('mediate')
  await step('session', { at: Math.floor(Date.now() / 1000), place: '东关社区人民调解室', attendees: '赵桂兰、孙志强、调解员', record: '双方同意装修时段调整为工作日白天' })
  await step('agree', { form: 'written', facts: '装修噪声影响休息', terms: '每日装修不早于8时、不晚于18时', performance: '即日起执行' })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(base + '/m/')
  await page.click('[data-test=tab-dispute]')
  await page.fill('[data-test=dispute-code]', 'ABCD-EFGH-JKMN-PQRS')
  await page.click('[data-test=dispute-look]')
  await page.waitForSelector('[data-test=dispute-error]')
  await page.fill('[data-test=dispute-code]', c.code.toLowerCase())
  await page.click('[data-test=dispute-look]')
  await page.waitForSelector('[data-test=dispute-view]')
  assert((await page.textContent('[data-test=dispute-state]')).includes('已达成协议'), 'the state in Chinese')
  assert((await page.textContent('[data-test=dispute-sessions]')).includes('东关社区人民调解室'), 'the session\'s place')
  assert((await page.textContent('[data-test=dispute-agreement]')).includes('书面协议'), 'the agreement\'s form')
  const text = await page.textContent('[data-test=dispute-view]')
  for (const secret of ['赵桂兰', '孙志强', '138', '装修时段']) assert(!text.includes(secret), 'nothing personal or recorded: ' + secret)
  await shot('portal-dispute')
})
