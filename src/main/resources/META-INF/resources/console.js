// The server page's console: xterm.js over the panel's WebSocket (console/ConsoleSocket.java), which relays to the host's agent.
// Its own words are the page's, in its language (the button's data-word-connected, -closed and -again); what the panel
// says about the session (refused, ended) is shown as it comes.
(function () {
  const button = document.getElementById('console-open');
  if (!button) {
    return;
  }
  const box = document.getElementById('console');
  const status = document.getElementById('console-status');
  let socket = null;

  function say(text) {
    status.textContent = text;
  }

  function open() {
    button.disabled = true;
    box.hidden = false;
    box.textContent = '';
    // the DOM renderer: its rows are text a screen reader (and a test) can read
    const term = new Terminal({ rendererType: 'dom', cursorBlink: true, fontSize: window.innerWidth < 600 ? 12 : 14, scrollback: 2000 });
    const fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(box);
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + button.dataset.console);
    socket.binaryType = 'arraybuffer';
    function resize() {
      fit.fit();
      box.dataset.rows = term.rows;
      box.dataset.cols = term.cols;
      if (socket.readyState === WebSocket.OPEN) {
        socket.send('r' + term.rows + ',' + term.cols);
      }
    }
    socket.onopen = function () {
      say(button.dataset.wordConnected);
      resize();
      term.focus();
    };
    socket.onmessage = function (message) {
      if (typeof message.data === 'string') {
        say(message.data);
      } else {
        term.write(new Uint8Array(message.data));
      }
    };
    socket.onclose = function () {
      if (status.textContent === button.dataset.wordConnected || status.textContent === '') {
        say(button.dataset.wordClosed);
      }
      box.dataset.closed = 'true';
      button.disabled = false;
      button.textContent = button.dataset.wordAgain;
      window.removeEventListener('resize', resize);
    };
    term.onData(function (data) {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send('i' + data);
      }
    });
    window.addEventListener('resize', resize);
  }

  button.addEventListener('click', open);
})();
