// What the dispute screens share (矛盾纠纷, docs/API.md "Dispute cases"): who reads and records
// cases, each step's form (the body fields API.md names, no more: another key is a 400), a
// step's record as people read it, a cursor list for the desks, the field a 400 names, and
// times and sums rounded for people. The server decides what may be done (allowed_actions);
// nothing here repeats its state machine.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { api, get, qs } from './api'
import { fmtTime, i18n, t, te } from './i18n'
import { session } from './session'

// dispute_read (the cases and their figures) and dispute_write (docs/API.md "Roles and
// scopes"), mediation_admin
export const DISPUTE_READ = ['agent', 'supervisor', 'gridworker', 'community', 'mediator', 'leader']
export const DISPUTE_WRITE = ['agent', 'supervisor', 'gridworker', 'community', 'mediator']
export const MEDIATION_ADMIN = ['supervisor', 'sysadmin']
export const RISKS = ['red', 'orange', 'yellow', 'green']
export const RISK_COLOUR = { red: '#dc2626', orange: '#ea580c', yellow: '#ca8a04', green: '#16a34a' }
// the states in which an agreement exists, for its document
export const AGREED_STATES = ['agreed', 'performed', 'followed_up', 'archived']
// the target share of cases ended at village level or below (矛盾不上交)
export const LOW_SHARE_TARGET = 0.9

export const can = roles => !!session.me && roles.includes(session.me.role)

// A unix time (seconds) as China's wall clock; '' for none
export const fmtSec = s => (s ? fmtTime(s * 1000) : '')

// Each step's fields (docs/API.md, "POST /api/v1/disputes/{id}/actions/{name}"); body and
// mediator appear only where mediation bodies are served (withBodies)
const NOTE = [{ name: 'note', type: 'textarea' }]
export const CASE_FIELDS = {
  accept: [{ name: 'body', type: 'body', bodies: true }, { name: 'mediator', type: 'mediator', bodies: true }, ...NOTE],
  assign: [{ name: 'body', type: 'body', required: true, bodies: true }, { name: 'mediator', type: 'mediator', bodies: true }],
  investigate: NOTE,
  mediate: NOTE,
  perform: NOTE,
  archive: NOTE,
  take: NOTE,
  supervise: NOTE,
  refuse: [{ name: 'reason', type: 'textarea', required: true }],
  escalate: [{ name: 'reason', type: 'textarea', required: true }],
  session: [
    { name: 'at', type: 'datetime', required: true },
    { name: 'online', type: 'bool', value: false },
    { name: 'place', type: 'text', when: v => !v.online },
    { name: 'attendees', type: 'textarea', required: true },
    { name: 'record', type: 'textarea', required: true, rows: 5 }
  ],
  agree: [
    { name: 'form', type: 'enum', enum: 'dform', value: 'written', required: true },
    { name: 'facts', type: 'textarea', required: true },
    { name: 'terms', type: 'textarea', required: true, rows: 4 },
    { name: 'performance', type: 'textarea', required: true }
  ],
  refer: [{ name: 'to', type: 'enum', enum: 'refer_to', value: 'court', required: true }, { name: 'reason', type: 'textarea', required: true }],
  confirm: [{ name: 'status', type: 'enum', enum: 'confirm', value: 'applied', required: true }, { name: 'court', type: 'text', required: true }],
  follow_up: [{ name: 'reached', type: 'bool', value: true }, { name: 'note', type: 'textarea' }],
  note: [{ name: 'text', type: 'textarea', required: true }],
  // a party found later, as a new case's parties[i]
  party: [
    { name: 'role', type: 'enum', enum: 'prole', value: 'third_party', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'id_type', type: 'enum', enum: 'idtype', value: 'resident_id' },
    { name: 'id_number', type: 'text' },
    { name: 'phone', type: 'text' }
  ]
}

// the steps of the main path look primary; these warn
export const CASE_PRIMARY = new Set(['accept', 'mediate', 'session', 'agree', 'perform', 'follow_up', 'archive', 'take'])
export const CASE_DANGER = new Set(['refuse', 'escalate', 'refer'])

export function caseFields (action, withBodies) {
  return (CASE_FIELDS[action] || []).filter(f => withBodies || !f.bodies)
}

export function caseInitial (action) {
  const v = {}
  for (const f of CASE_FIELDS[action] || []) v[f.name] = f.value !== undefined ? f.value : f.type === 'datetime' ? new Date() : ''
  return v
}

const shown = (f, v) => !f.when || f.when(v)
const empty = x => x === '' || x === null || x === undefined

// The JSON a step sends: its shown, filled fields; a time in unix seconds; text trimmed
export function caseBody (action, values, withBodies) {
  const body = {}
  for (const f of caseFields(action, withBodies)) {
    if (!shown(f, values)) continue
    let x = values[f.name]
    if (typeof x === 'string') x = x.trim()
    if (f.type === 'datetime' && x) x = Math.floor(new Date(x).getTime() / 1000)
    if (f.type === 'bool') { if (x || f.name === 'reached') body[f.name] = !!x; continue }
    if (!empty(x)) body[f.name] = x
  }
  return body
}

export function caseMissing (action, values, withBodies) {
  return caseFields(action, withBodies).filter(f => f.required && shown(f, values) &&
    (empty(values[f.name]) || (typeof values[f.name] === 'string' && !values[f.name].trim()))).map(f => f.name)
}

// A step's record (its body, as the timeline keeps it) as [label, text] lines: what people
// wrote stays as they wrote it, codes are worded
export function recordLines (step) {
  const r = step && step.record
  if (!r || typeof r !== 'object') return []
  const out = []
  const add = (key, text) => {
    const label = t('df.' + key)
    if (!empty(text) && label !== 'df.' + key) out.push([label, String(text)])
  }
  if (step.action === 'session') {
    add('at', fmtSec(r.at))
    add('place', r.online ? t('df.online') : r.place)
    add('attendees', r.attendees)
    add('record', r.record)
    return out
  }
  for (const [k, v] of Object.entries(r)) {
    if (k === 'form') add(k, te('dform', v))
    else if (k === 'to') add(k, te('refer_to', v))
    else if (k === 'status') add(k, te('confirm', v))
    else if (k === 'reached') add(k, v ? t('yes') : t('no'))
    else if (k === 'body') add(k, typeof v === 'object' ? v?.name : v)
    else if (typeof v === 'string' || typeof v === 'number') add(k, v)
  }
  return out
}

// A cursor list of an API collection, as the order desks page (DeskPager reads it): rows,
// page, next, loading; the cursors read are kept so that the pager goes back. key is the
// answer's list (disputes, screenings).
export function useCursorList (path, key, params, { limit = 50 } = {}) {
  const d = reactive({ rows: [], page: 1, next: null, loading: false, error: null })
  const cursors = ['']
  async function read (cursor) {
    d.loading = true
    try {
      const r = await get(path + qs({ ...params(), limit, cursor }))
      d.rows = r[key] || []
      d.next = r.next_cursor || null
      d.error = null
    } catch (e) {
      d.error = e
      d.rows = []
      d.next = null
      ElMessage.error(e.message)
    } finally { d.loading = false }
  }
  d.load = () => { cursors.length = 1; d.page = 1; return read('') }
  d.reload = () => read(cursors[d.page - 1])
  d.forward = () => { if (!d.next) return; cursors[d.page] = d.next; d.page++; return read(d.next) }
  d.back = () => { if (d.page <= 1) return; d.page--; return read(cursors[d.page - 1]) }
  return d
}

// Every row of a cursor list (a month of screenings, the red cases of a region), up to max
export async function readAll (path, key, params, max = 1000) {
  const out = []
  let cursor = ''
  do {
    const r = await get(path + qs({ ...params, limit: 200, cursor }))
    out.push(...(r[key] || []))
    cursor = r.next_cursor
  } while (cursor && out.length < max)
  return out
}

// The field a 400 is about, as the API names it: "parties[1]: 'id_number' …" → {party: 1,
// field: 'id_number'}; "'amount' must …" → {party: -1, field: 'amount'}; members[2].username
// likewise as {member: 2}
export function badField (e) {
  const msg = (e && (e.detail || e.message)) || ''
  const p = /parties\[(\d+)\]/.exec(msg)
  const m = /members\[(\d+)\]\.?(\w*)/.exec(msg)
  const q = /'([a-z_]+)'/.exec(msg.replace(/parties\[\d+\]:?/, ''))
  // the checks of ID numbers and phones name what they check in words, not as a key
  const worded = /\bID number\b/.test(msg) ? 'id_number' : /\bphone number\b|mobile number/.test(msg) ? 'phone' : ''
  return {
    party: p ? Number(p[1]) : -1,
    member: m ? Number(m[1]) : -1,
    field: (m && m[2]) || (q ? q[1] : worded)
  }
}

// A step's failure in plain words: a 409 says the case moved on, a 412 that someone came
// first (the page reads the case again for both), anything else the API's sentence
export function stepError (e, action) {
  if (e.status === 409) return t('dp.not_now', { action: te('daction', action) })
  if (e.status === 412) return t('dp.stale')
  return e.message
}

// Sums of money and shares as people read them: yuan to the fen under ten thousand, then
// 万元 to two decimals in Chinese (thousands separated in English); a share in percent
export function fmtYuan (v) {
  if (v === null || v === undefined || v === '') return '—'
  const n = Number(v)
  if (i18n.lang === 'zh' && Math.abs(n) >= 10000) return t('fg.wan', { v: trim2(n / 10000) })
  return t('fg.yuan', { v: i18n.lang === 'zh' ? trim2(n) : n.toLocaleString('en', { maximumFractionDigits: 2 }) })
}
const trim2 = n => String(Math.round(n * 100) / 100)
export function fmtShare (v) {
  if (v === null || v === undefined) return '—'
  return (Math.round(Number(v) * 1000) / 10) + '%'
}

// A case's agreement (GET …/agreement.pdf, with the token) saved as a file
export async function downloadAgreement (c) {
  const res = await api('GET', `/api/v1/disputes/${c.id}/agreement.pdf`, undefined, { raw: true })
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = `${c.number}-调解协议书.pdf`
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

// Where a case is on the map: its point, else its grid's centre in a grids GeoJSON
export function casePoint (c, geojson) {
  if (c.lon != null && c.lat != null) return { lon: c.lon, lat: c.lat }
  const f = geojson?.features?.find(x => x.properties.code === c.grid)
  if (!f) return null
  let n = 0; let lon = 0; let lat = 0
  const walk = a => { if (typeof a[0] === 'number') { lon += a[0]; lat += a[1]; n++ } else a.forEach(walk) }
  walk(f.geometry.coordinates)
  return n ? { lon: lon / n, lat: lat / n } : null
}
