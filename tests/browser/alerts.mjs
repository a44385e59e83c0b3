// The alert screens (issue 21) as their users walk them: the administrator imports cameras
// from a CSV (a bad file refused row by row, nothing stored), an integration key posts a
// camera's sightings of street vending until the rule sends the alert to review, and an
// agent at the review desk sees its snapshot reference and its point on the map, makes an
// order of it, and dismisses another; the devices' list of the agent's scope.
import { uiLogin } from './harness.mjs'

export const alertTests = []
const test = (name, fn) => alertTests.push([name, fn])

const CSV = '编号,类型,名称,经度,纬度,权属单位,地址\n' +
  '37130200001320000001,摄像头,东关街与沂蒙路交叉口,118.3051,35.0052,cgzf,东关街1号\n' +
  '37130200001320000002,摄像头,东关农贸市场东门,118.3072,35.0081,cgzf,东关街36号\n' +
  'S-DG-001,传感器,东关南路下穿桥积水,118.3021,35.0013,cgzf,东关南路\n'
const BAD = 'id,kind,name,lon,lat,unit\nX1,robot,坏类型,118.305,35.005,cgzf\nX2,camera,远处,119.9,35.005,cgzf\n'

async function ingest (srv, key, lines) {
  const res = await fetch(srv.base + '/api/v1/alerts', {
    method: 'POST',
    headers: { 'X-Api-Key': key, 'Content-Type': 'application/x-ndjson' },
    body: lines.map(l => JSON.stringify(l)).join('\n')
  })
  if (res.status !== 200) throw new Error('ingest: ' + res.status + ' ' + await res.text())
  return res.json()
}

test('alerts: devices imported from a CSV, a bad file refused row by row', async ({ page, base, assert, shot }) => {
  await uiLogin(page, base, 'admin')
  await page.click('[data-test=nav-devices]')
  await page.click('[data-test=dv-import-open]')
  await page.setInputFiles('[data-test=dv-file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD) })
  await page.click('[data-test=dv-upload]')
  await page.waitForSelector('[data-test=dv-errors]')
  const rows = await page.locator('[data-test=dv-errors] tbody tr').allTextContents()
  assert(rows.length === 2 && rows[0].includes('kind') && rows[1].includes('lon'), 'each bad row by line and column: ' + rows)
  await shot('alerts-import-refused')
  await page.setInputFiles('[data-test=dv-file]', { name: 'cams.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
  await page.click('[data-test=dv-upload]')
  await page.waitForSelector('[data-test=dv-stored]')
  assert((await page.textContent('[data-test=dv-stored]')).includes('新增 3'), 'three devices stored')
  // the administrator who keeps them sees them in the list
  await page.keyboard.press('Escape')
  await page.waitForSelector('[data-test=dv-row-37130200001320000001]')
})

test('alerts: the review desk orders one alert and dismisses another', async ({ page, base, assert, srv, shot }) => {
  const key = (await srv.api('POST', '/api/v1/apikeys', { name: 'video', scope: 'all', permissions: ['alert_ingest'] }, srv.admin)).key
  const cam = '37130200001320000002'
  const vend = await ingest(srv, key, [1, 3, 6].map(m => ({
    device: cam, type: 'street_vending', confidence: 0.88, time: `2026-12-07T08:0${m}:00+08:00`, snapshot: `oss://video/${cam}/0${m}.jpg`
  })))
  const crowd = await ingest(srv, key, [1, 7].map(m => ({
    device: '37130200001320000001', type: 'crowd_gathering', confidence: 0.9, time: `2026-12-07T09:0${m}:00+08:00`
  })))
  const a = vend.results[0].alert
  const b = crowd.results[0].alert
  await uiLogin(page, base, 'agent1')
  await page.click('[data-test=nav-alerts]')
  await page.waitForSelector(`[data-test=al-row-${a}]`)
  await page.click(`[data-test=al-row-${a}]`)
  await page.waitForSelector('[data-test=al-snapshot]')
  assert((await page.textContent('[data-test=al-snapshot]')).includes(`oss://video/${cam}/06.jpg`), 'the latest snapshot reference')
  await page.waitForSelector('[data-test=al-map] .leaflet-container, [data-test=al-map]')
  await shot('alerts-review-desk')
  await page.fill('[data-test=al-note]', '市场东门占道，转城管处理')
  await page.click('[data-test=al-order-btn]')
  await page.waitForSelector('[data-test=al-d-state][data-state=ordered]')
  assert(await page.locator('[data-test=al-order]').count() === 1, 'the order linked')
  await page.keyboard.press('Escape')
  await page.waitForSelector(`[data-test=al-row-${b}]`)
  await page.click(`[data-test=al-row-${b}]`)
  await page.waitForSelector('[data-test=al-dismiss-btn]')
  await page.click('[data-test=al-dismiss-btn]')
  await page.waitForSelector('[data-test=al-d-state][data-state=dismissed]')
  await shot('alerts-dismissed')
  // the devices of the agent's scope
  await page.keyboard.press('Escape')
  await page.click('[data-test=nav-devices]')
  await page.waitForSelector(`[data-test=dv-row-${cam}]`)
  assert((await page.textContent('[data-test=dv-total]')).includes('3'), 'three devices listed')
})
