// The indicators API (GET /api/v1/stats/...): dates are China Standard Time days.
import { get, qs } from './api'
import { chinaClock } from './lang'

export function cstDay (d = new Date()) {
  return chinaClock(d).toISOString().slice(0, 10)
}

export function daysAgo (n, from = new Date()) {
  return cstDay(new Date(from.getTime() - n * 86400 * 1000))
}

export const stats = {
  // compare 'yoy': the same days a year earlier beside each figure (previous, change)
  summary: (scope, from, to, compare) => get('/api/v1/stats/summary' + qs({ scope, from, to, compare })),
  series: (scope, from, to, by, indicators) => get('/api/v1/stats/series' + qs({ scope, from, to, by, indicators: indicators.join(',') })),
  topItems: (scope, from, to, limit = 10) => get('/api/v1/stats/top-items' + qs({ scope, from, to, limit })),
  monthly: (scope, month) => get('/api/v1/stats/monthly-problem' + qs({ scope, month })),
  units: (scope, from, to) => get('/api/v1/stats/units' + qs({ scope, from, to })),
  breakdown: (scope, by, from, to, indicators, compare) => get('/api/v1/stats/breakdown' + qs({ scope, by, from, to, indicators: indicators.join(','), compare }))
}

export const KPI_NAMES = ['received', 'open', 'overdue', 'finish_rate', 'finished_on_time_rate', 'response_rate', 'signed_on_time_rate',
  'satisfaction_rate', 'resolution_rate', 'called_back_rate', 'direct_rate', 'avg_handling_hours', 'composite']

export const REPORT_INDICATORS = ['received', 'dispatched', 'direct_rate', 'signed_on_time_rate', 'due', 'finished', 'finish_rate',
  'finished_on_time_rate', 'called_back_rate', 'satisfaction_rate', 'resolution_rate', 'reopen_rate', 'return_rate',
  'rework_rate', 'repeat_rate', 'overdue', 'avg_handling_hours', 'response_rate', 'composite', 'grade']

// A number to colour the map by: a rate's value, a count's value
export function num (r) {
  if (!r || r.value === null || r.value === undefined) return null
  return typeof r.value === 'number' ? r.value : null
}

// White → red for counts (more is worse); red → green for rates (more is better)
export function colourScale (value, max, better) {
  if (value === null || value === undefined) return '#e5e7eb'
  let x = max > 0 ? Math.min(1, value / max) : 0
  if (better === 'high') {
    x = Math.max(0, Math.min(1, (value - 0.6) / 0.4)) // 60% and below red, 100% green
    const r = Math.round(220 - 198 * x); const g = Math.round(38 + 125 * x); const b = Math.round(38 + 36 * x)
    return `rgb(${r},${g},${b})`
  }
  const r = Math.round(254 - 34 * x); const g = Math.round(243 - 205 * x); const b = Math.round(199 - 161 * x)
  return `rgb(${r},${g},${b})`
}
