// Optional enhancements; every page works without this file. Served from our own origin (CSP: script-src 'self').
document.documentElement.classList.add('js')

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('search-form')
  if (!form) return

  // Keep shared URLs short: leave empty fields out, and the dates or durations of a "custom" choice once the
  // visitor has picked another one.
  form.addEventListener('formdata', (event) => {
    const data = event.formData
    const stale = new Set()
    for (const input of document.querySelectorAll('input[data-custom-of]')) {
      const owner = document.getElementById(input.dataset.customOf)
      if (owner && owner.value !== 'custom') stale.add(input.name)
    }
    const entries = [...data.entries()]
    for (const name of new Set(entries.map(([name]) => name))) data.delete(name)
    for (const [name, value] of entries) {
      if (value !== '' && !stale.has(name)) data.append(name, value)
    }
  })

  // Changing the sort applies it at once; the Sort button stays for visitors without JavaScript.
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => form.requestSubmit())
  }

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
