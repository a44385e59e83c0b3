// Assessment (考核评价, issue 22): who reads and who writes (domain/accounts: WG_P_ASSESS_READ,
// WG_P_ASSESS_WRITE), the months, the classes' colours.
export const ASSESS_READ = ['agent', 'supervisor', 'handler', 'gridworker', 'community', 'leader']
export const ASSESS_WRITE = ['supervisor']
export const KINDS = ['grid', 'worker', 'unit', 'town']
export const CLASS_COLOUR = { A: '#16a34a', B: '#2563eb', C: '#dc2626' }
export const CLASS_TAG = { A: 'success', B: 'primary', C: 'danger' }

// YYYY-MM of China's date, offset months from this one
export function monthOf (offset = 0) {
  const d = new Date(Date.now() + 8 * 3600e3)
  const k = d.getUTCFullYear() * 12 + d.getUTCMonth() + offset
  return `${Math.floor(k / 12)}-${String(k % 12 + 1).padStart(2, '0')}`
}

export const pct = v => (v == null ? '—' : (v * 100).toFixed(1) + '%')
export const stars = n => '★'.repeat(n || 0) + '☆'.repeat(5 - (n || 0))
