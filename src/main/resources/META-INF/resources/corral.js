// Keeps server states on the page live: polls the API and updates every [data-server-state] badge.
(function () {
  const badges = document.querySelectorAll('[data-server-state]');
  if (!badges.length) return;
  async function refresh() {
    for (const badge of badges) {
      try {
        const r = await fetch('/api/v1/servers/' + badge.dataset.serverState, { headers: { Accept: 'application/json' } });
        if (!r.ok) continue;
        const s = await r.json();
        badge.textContent = s.observedState;
        badge.className = 'badge ' + s.observedState;
      } catch (e) { /* offline for a moment: try again next time */ }
    }
  }
  setInterval(refresh, 2000);
})();
// Destroy and reinstall ask first.
document.addEventListener('submit', function (e) {
  const question = e.target.dataset.confirm;
  if (question && !window.confirm(question)) e.preventDefault();
});
