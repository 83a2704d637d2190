// Optional enhancements; every page works without this file. Served from our own origin (CSP: script-src 'self').
document.documentElement.classList.add('js')

// A picture that fails to load (an instance down, a file gone) leaves the neutral placeholder behind it instead of
// the browser's broken-image icon. Errors do not bubble, hence the capture.
function markBroken(img) {
  img.classList.add('is-broken')
}
document.addEventListener('error', (event) => {
  if (event.target instanceof HTMLImageElement) markBroken(event.target)
}, true)

document.addEventListener('DOMContentLoaded', () => {
  for (const img of document.images) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute('src')) markBroken(img)
  }

  const form = document.getElementById('search-form')
  if (!form) return

  // The date and duration fields of a "custom" choice show only with that choice.
  const customs = [...document.querySelectorAll('.custom-fields[data-custom-of]')].map((box) => ({
    box,
    owner: document.getElementById(box.dataset.customOf),
  })).filter((c) => c.owner)
  const sync = () => {
    for (const { box, owner } of customs) box.hidden = owner.value !== 'custom'
  }
  for (const { owner } of customs) owner.addEventListener('change', sync)
  sync()

  // Keep shared URLs short: leave empty fields out, and the fields of a hidden "custom" choice.
  form.addEventListener('formdata', (event) => {
    const data = event.formData
    const stale = new Set()
    for (const { box } of customs) {
      if (box.hidden) for (const input of box.querySelectorAll('input')) stale.add(input.name)
    }
    const entries = [...data.entries()]
    for (const name of new Set(entries.map(([name]) => name))) data.delete(name)
    for (const [name, value] of entries) {
      if (value !== '' && !stale.has(name)) data.append(name, value)
    }
  })

  // "/" focuses the search box, as on many search sites, unless the visitor is already typing somewhere.
  const input = document.getElementById('search-input')
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return
    const target = event.target
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
    event.preventDefault()
    input?.focus()
    input?.select()
  })
})
