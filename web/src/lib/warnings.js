// Early warning's shared bits for the board, the list and the detail (issue 21 part 3): who
// reads and who acts, the levels' colours, a warning's age and place as people read them.
import { t } from './i18n'
import { scopeName } from './words'

// alert_read and alert_review (domain/accounts: WG_P_ALERT_READ, WG_P_ALERT_REVIEW)
export const ALERT_READ = ['agent', 'supervisor', 'handler', 'gridworker', 'community', 'leader']
export const ALERT_REVIEW = ['agent', 'supervisor']
export const LEVEL_COLOUR = { red: '#dc2626', yellow: '#ca8a04', blue: '#2563eb' }
export const KINDS = ['cluster', 'recurrence', 'surge', 'caller', 'keyword']
export const LEVELS = ['red', 'yellow', 'blue']
export const STATES = ['new', 'judged', 'handled', 'closed', 'false_alarm']

// the steps each state allows (domain/alerts/warning.c's next_state)
export const NEXT = { new: ['judge', 'false_alarm'], judged: ['handle', 'false_alarm'], handled: ['close'] }

// how long ago a warning was raised (unix seconds): minutes, hours or days
export function age (at, now = Date.now() / 1000) {
  const s = Math.max(0, now - at)
  if (s < 3600) return t('wn.minutes', { n: Math.max(1, Math.round(s / 60)) })
  if (s < 86400) return t('wn.hours', { n: Math.round(s / 3600) })
  return t('wn.days', { n: Math.round(s / 86400) })
}

export const placeOf = w => scopeName({ kind: 'region', code: w.scope })
