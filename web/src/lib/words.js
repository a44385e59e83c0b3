// What the API answers as codes and data, worded for people in the console's language: the
// routing suggestion's reasons, a timeline event's details and actor, the audit log's
// actions, grid names for grid codes, and scopes as a tree to choose from. The server keeps
// English and codes in the API; every word here comes from the i18n tables (lib/i18n.js).
import { reactive } from 'vue'
import { get } from './api'
import { itemName, region, unitName } from './data'
import { fmtTime, t, te } from './i18n'

// The routing suggestion's reasons (GET …/route, …/routing-rules/match: `because`)
export function routeText (s) {
  const b = s && s.because
  if (!b) return ''
  const item = b.item ? (b.item_name || itemName(b.item)) : t('rt.any_item')
  const place = b.region ? (b.region_name || te('level_region', b.level) + ' ' + b.region) : (s.found ? t('rt.any_place') : t('rt.no_place'))
  if (!s.found) return t('rt.none', { item, place })
  return t('rt.because', { rule: b.rule, item, place, unit: s.lead?.name || unitName(b.unit) })
}

// Who acted: the person and their role; the system and a resident by their role's name only
export function actorText (e) {
  if (e.actor === 'system') return t('actor.system')
  if (!e.actor || e.actor === e.role) return te('role', e.role)
  return `${e.actor}（${te('role', e.role)}）`
}

const yesNo = v => (v ? t('yes') : t('no'))
// the reasons the server writes itself (automatic supervision), in the page's language
const REASONS = { 'past the reply deadline': 'dk.past_reply_deadline' }

// A timeline event's detail: the action's body, each part worded; what people wrote stays
// as they wrote it
export function detailText (e) {
  if (!e.detail || e.action === 'attachment' || e.action === 'photo') return ''
  if (e.detail[0] !== '{') return te('channel', e.detail)
  let d
  try { d = JSON.parse(e.detail) } catch { return e.detail }
  // a dispute line's reply: how the case ended, in the page's language (its number is linked
  // beside the order's cases; the server's sentence is Chinese only)
  if (e.action === 'line_reply') return te('dstate', d.outcome)
  // a wish's move on the wall (issue 22): the step, in the page's language
  if (e.action === 'wish') return te('wishact', d.step)
  return Object.entries(d).filter(([, v]) => v !== '' && v !== null && !(Array.isArray(v) && !v.length)).map(([k, v]) => {
    if (k === 'assisting' && Array.isArray(v)) return t('o.assisting') + '：' + v.map(unitName).join('、')
    if (k === 'unit') return unitName(v)
    if (k === 'satisfaction') return te('satisfaction', v)
    if (k === 'level') return te('level', v)
    if (k === 'line') return te('line', v)
    if (k === 'dispute_type') return te('dtype', v) // a dispute line's case: its type and risk
    if (k === 'risk') return te('risk', v) + t('dp.risk_word')
    if (k === 'dispute' || k === 'number') return '' // the case is linked beside the order's cases
    if (k === 'means') return te('means', v)
    if (k === 'reached' && e.action === 'contact') return v ? t('ct.reached') : t('ct.unreached')
    if (k === 'at' && e.action === 'contact') return t('ct.at') + ' ' + fmtTime(v)
    if (k === 'days') return t('dk.days', { n: v })
    if (k === 'into') return t('dk.into', { n: v })
    if (k === 'automatic') return v ? t('dk.automatic') : ''
    if (typeof v === 'boolean') return (t('dk.' + k) !== 'dk.' + k ? t('dk.' + k) + '：' : '') + yesNo(v)
    if (typeof v === 'string' && REASONS[v]) return t(REASONS[v])
    if (typeof v === 'object') return ''
    return String(v)
  }).filter(Boolean).join(' · ')
}

// An audit record's action and object: order actions by the action's name
export function auditAction (a) {
  if (a && a.startsWith('order.') && !['order.create', 'order.photo', 'order.action_refused'].includes(a)) return te('objtype', 'order') + '·' + te('action', a.slice(6))
  return te('audit', a)
}

// Grid names for grid codes, read once a session each (GET /api/v1/grids/{code}) and shown
// as they arrive; until then, and when a grid cannot be read, the code stands.
const gridNames = reactive({})
const asked = new Set()
export function gridName (code) {
  if (!code) return ''
  if (gridNames[code]) return gridNames[code]
  if (!asked.has(code)) {
    asked.add(code)
    get('/api/v1/grids/' + code).then(g => { gridNames[code] = g.name || g.properties?.name || code }).catch(() => {})
  }
  return code
}

// Scopes as a tree for el-tree-select: everywhere; the regions (roots: region codes) down to
// villages, then their grids (read as a branch opens); units. Values are what the API takes:
// "all", a region or grid code, "unit:ID"; the group nodes cannot be chosen.
export function scopeTree (units, roots) {
  return [
    { value: 'all', label: t('scope.all'), isLeaf: true },
    { value: '#regions', label: t('scope.regions'), disabled: true, roots, isLeaf: false },
    { value: '#units', label: t('scope.units'), disabled: true, isLeaf: false, children: units.map(u => ({ value: 'unit:' + u.id, label: u.name, isLeaf: true })) }
  ]
}

// el-tree-select's lazy load: the root regions under the group, or a region's children (a
// village's are its grids)
export async function scopeChildren (node) {
  const d = node.data
  if (d.value === '#regions') {
    const rs = await Promise.all(d.roots.map(c => region(c)))
    return rs.map(r => ({ value: r.code, label: r.name, isLeaf: false }))
  }
  const r = await region(d.value)
  return (r.children || []).map(c => ({ value: c.code, label: c.name, isLeaf: c.level === 'grid' || c.code.length >= 15 }))
}

// A scope as people read it: everywhere, a region's or grid's name, a unit's name
const regionNames = reactive({})
export function scopeName (s) {
  if (!s) return ''
  if (s.kind === 'unit') return unitName(s.code)
  if (!s.code) return t('scope.all')
  if (!regionNames[s.code]) {
    regionNames[s.code] = s.code
    ;(s.code.length >= 15 ? get('/api/v1/grids/' + s.code) : region(s.code)).then(r => { regionNames[s.code] = r.name || r.properties?.name || s.code }).catch(() => {})
  }
  return regionNames[s.code]
}
