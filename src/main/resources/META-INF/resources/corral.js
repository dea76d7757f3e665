// Keeps server states on the page live: polls each [data-server-state] badge's state (its data-observed; its text is
// the state in the page's language); when one changes,
// the page is loaded again so that its buttons and operations match.
(function () {
  const badges = document.querySelectorAll('[data-server-state]');
  if (!badges.length) return;
  async function refresh() {
    for (const badge of badges) {
      try {
        const r = await fetch('/servers/' + badge.dataset.serverState + '/state',
          { headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' } });
        // 499: the session has expired; loading the page again goes through sign-in and back here.
        if (r.status === 499) { location.reload(); return; }
        if (!r.ok) continue;
        const s = await r.json();
        if (s.observedState !== badge.dataset.observed) { location.reload(); return; }
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
// Times are shown in the browser's zone: the panel reads it from this cookie (from the next page on).
(function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split('; ').includes('tz=' + encodeURIComponent(zone))) {
    document.cookie = 'tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax';
  }
})();
