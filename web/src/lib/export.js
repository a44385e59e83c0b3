// Tables out of the browser: CSV (UTF-8 with a BOM, so Excel reads Chinese right) and XLSX.
import { toXlsx } from './xlsx'
import { api } from './api'

export function downloadBlob (blob, name) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove() }, 1000)
}

// A file the API makes (it needs the token, so no plain link), saved as name: the special
// reports (专报) of tasks and warnings.
export async function downloadApi (path, name) {
  const res = await api('GET', path, undefined, { raw: true })
  downloadBlob(await res.blob(), name)
}

function cell (v) {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
}

export function toCsv (header, rows) {
  return '\ufeff' + [header, ...rows].map(r => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

export function exportCsv (name, header, rows) {
  downloadBlob(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), name + '.csv')
}

export function exportXlsx (name, sheet, header, rows) {
  const bytes = toXlsx(sheet, [header, ...rows])
  downloadBlob(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), name + '.xlsx')
}
