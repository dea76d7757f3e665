// Follows a server's console log on its page: its last lines first, then what comes after them, asked for
// again once each answer is in (at once while the log has more, three times in a row at most, else after
// two seconds: a server that writes faster than a page reads costs the host no more), keeping the last
// 200 lines. The log is the customer's own bytes: it is shown as text only (textContent, never markup),
// without terminal escapes and control characters, which would show as junk. What the page says of bytes lost is its
// data-overwritten, in the page's language, with # for their number.
(function () {
  const box = document.querySelector('[data-console-log]');
  if (!box) return;
  const url = '/servers/' + box.dataset.consoleLog + '/console-log';
  const KEPT_LINES = 200, KEPT_CHARACTERS = 65536, FULL = 60000;
  let next = null, quick = 0;

  function plain(text) {
    return text
      .replace(/\x1b\[[0-?]*[ -\/]*[@-~]/g, '')            // CSI: colours, cursor moves
      .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)?/g, '')     // OSC: window titles
      .replace(/\x1b[@-_]?/g, '')                           // any other escape
      .replace(/\r\n/g, '\n')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');           // other controls (tab and newline stay)
  }

  function show(text) {
    if (!text) return;
    const following = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    const lines = (box.textContent + text).split('\n');
    box.textContent = lines.slice(-KEPT_LINES - 1).join('\n').slice(-KEPT_CHARACTERS); // lines may be long
    if (following) box.scrollTop = box.scrollHeight;
  }

  async function follow() {
    let again = 2000;
    try {
      const r = await fetch(url + (next === null ? '' : '?after=' + next),
        { headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' } });
      if (r.status === 499) { location.reload(); return; } // the session has expired: sign in again
      if (r.ok) {
        const piece = await r.json();
        if (next !== null && piece.from > next) show('\n' + box.dataset.overwritten.replace('#', (piece.from - next).toLocaleString(document.documentElement.lang)) + '\n');
        show(plain(piece.text));
        quick = piece.next - piece.from >= FULL && quick < 3 ? quick + 1 : 0;
        if (quick > 0) again = 100;
        next = piece.next;
      }
    } catch (e) { /* offline for a moment: try again */ }
    setTimeout(follow, again);
  }
  follow();
})();
