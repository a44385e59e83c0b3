// The fields each order action asks for (SPEC §9). Only names the API reads are sent; the
// rest of the body is kept on the order's timeline as the action's detail.
import { ElMessage } from 'element-plus'
import { post } from './api'
import { t, te } from './i18n'

const DISPUTE_LINES = ['joint_conference', 'judicial']

export const ACTION_FIELDS = {
  dispatch: [{ name: 'unit', type: 'unit', required: true }, { name: 'assisting', type: 'units', value: [] }, { name: 'note', type: 'text' }],
  sign: [],
  return: [{ name: 'reason', type: 'textarea', required: true }],
  approve_return: [{ name: 'note', type: 'text' }],
  reject_return: [{ name: 'reason', type: 'text' }],
  extend: [{ name: 'days', type: 'days', value: 5 }, { name: 'reason', type: 'textarea', required: true }],
  approve_extension: [{ name: 'days', type: 'days', required: true, value: 5 }],
  reject_extension: [{ name: 'reason', type: 'text' }],
  suspend: [{ name: 'reason', type: 'textarea', required: true }],
  resume: [],
  answer: [{ name: 'answer', type: 'textarea', required: true }],
  self_handle: [{ name: 'result', type: 'textarea', required: true }, { name: 'photos', type: 'photos' }],
  reply: [{ name: 'result', type: 'textarea', required: true }, { name: 'photos', type: 'photos' }],
  verify: [{ name: 'passed', type: 'bool', value: true }, { name: 'note', type: 'text' }],
  callback: [
    { name: 'reached', type: 'bool', value: true },
    { name: 'satisfaction', type: 'enum', enum: 'satisfaction', value: 'satisfied', when: v => v.reached },
    { name: 'resolved', type: 'bool', value: true, when: v => v.reached },
    { name: 'note', type: 'text' }
  ],
  reopen: [{ name: 'reason', type: 'textarea', required: true }],
  merge: [{ name: 'into', type: 'number', required: true }],
  invalidate: [{ name: 'reason', type: 'textarea', required: true }],
  supervise: [{ name: 'level', type: 'enum', enum: 'level', value: 'normal' }, { name: 'reason', type: 'text' }],
  urge: [{ name: 'note', type: 'text' }],
  instruct: [{ name: 'instruction', type: 'textarea', required: true }],
  note: [{ name: 'note', type: 'textarea', required: true }],
  // the judicial and joint-conference lines open a dispute case of the order in the same step
  route_line: [
    { name: 'line', type: 'enum', enum: 'line', required: true, value: 'special_team' },
    { name: 'dispute_type', type: 'enum', enum: 'dtype', value: 'other', when: v => DISPUTE_LINES.includes(v.line) },
    { name: 'risk', type: 'enum', enum: 'risk', value: '', when: v => DISPUTE_LINES.includes(v.line) },
    { name: 'note', type: 'text' }
  ],
  contact: [{ name: 'reached', type: 'bool', value: true }, { name: 'means', type: 'enum', enum: 'means', value: 'phone' }, { name: 'note', type: 'textarea' }]
}

// label keys of the fields
export const FIELD_LABEL = {
  unit: 'f.unit', assisting: 'a.assisting', note: 'f.note', reason: 'f.reason', result: 'f.result', answer: 'f.answer', days: 'f.days',
  passed: 'f.passed', reached: 'cb.reached', satisfaction: 'cb.satisfaction', resolved: 'cb.resolved',
  into: 'f.into', level: 'f.level', instruction: 'f.instruction', line: 'f.line', photos: 'f.photos', means: 'ct.means',
  dispute_type: 'dp.type', risk: 'dp.risk'
}

// Buttons of the main path look primary; the rest plain; these ones warn
export const PRIMARY = new Set(['dispatch', 'sign', 'reply', 'verify', 'callback', 'answer', 'self_handle', 'approve_return', 'approve_extension', 'contact'])
export const DANGER = new Set(['invalidate', 'return', 'reject_return', 'reject_extension', 'reopen'])

export function initialValues (action) {
  const v = {}
  for (const f of ACTION_FIELDS[action] || []) v[f.name] = f.value !== undefined ? f.value : (f.type === 'photos' ? [] : '')
  return v
}

// The JSON body of an action from the form's values (photos are sent before, on their own)
export function bodyOf (action, values) {
  const body = {}
  for (const f of ACTION_FIELDS[action] || []) {
    if (f.type === 'photos') continue
    if (f.when && !f.when(values)) continue
    const v = values[f.name]
    if (v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length)) continue
    body[f.name] = f.type === 'number' || f.type === 'days' ? Number(v) : v
  }
  return body
}

export function missing (action, values) {
  return (ACTION_FIELDS[action] || []).filter(f => f.required && (!f.when || f.when(values)) &&
    (values[f.name] === '' || values[f.name] === null || values[f.name] === undefined)).map(f => f.name)
}

// Takes an action that asks for nothing more (a list's one-click sign or approve) on the
// order as the caller last saw it, If-Match its version, and says how it went. Answers the
// order after it, or null when it was refused.
export async function actOn (order, action, body = {}) {
  try {
    const out = await post(`/api/v1/orders/${order.id}/actions/${action}`, body, { version: order.version })
    ElMessage.success(t('act.ok') + ': ' + te('action', action))
    return out
  } catch (e) {
    ElMessage.error(e.message)
    return null
  }
}
