// Draws the usage charts of a page with uPlot: every [data-chart] element names the JSON to draw
// (see Chart.java) and holds buttons for the window (24h, 7d, 30d). One chart per resource, each
// with its limit as a dashed line, so a customer sees how close to the limit the server runs.
// The words are the page's (in its language): data-cpu-title, data-cpu-unit ... data-limit, data-time, data-failed;
// the dates on the axis and in the legend are written as the page's language writes them, in the browser's zone.
(function () {
  const resources = [
    { key: 'cpuCores', limit: 'cpus', words: 'cpu', color: '#2563eb' },
    { key: 'memoryGiB', limit: 'memoryGiB', words: 'memory', color: '#16a34a' },
    { key: 'diskGiB', limit: 'diskGiB', words: 'disk', color: '#9333ea' },
  ];
  const windowSeconds = { '24h': 86400, '7d': 7 * 86400, '30d': 30 * 86400 };
  const lang = document.documentElement.lang;
  const tick = new Intl.DateTimeFormat(lang, { month: 'numeric', day: 'numeric', hour: 'numeric' });
  const hour = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  function draw(box, data, window) {
    const plots = box.querySelector('.plots');
    plots.innerHTML = '';
    box.querySelector('.chart-empty').hidden = data.hours.length > 0;
    if (!data.hours.length) return;
    const width = Math.max(280, Math.min(plots.clientWidth || 600, 900));
    // the whole window on the x axis, however few hours were measured in it
    const to = Date.now() / 1000, from = to - windowSeconds[window];
    for (const r of resources) {
      const holder = document.createElement('div');
      holder.className = 'plot';
      holder.dataset.resource = r.key;
      plots.appendChild(holder);
      const limit = data.limits[r.limit];
      new uPlot({
        title: box.dataset[r.words + 'Title'],
        width: width, height: 160,
        scales: { x: { time: true, range: () => [from, to] }, y: { range: (u, min, max) => [0, Math.max(max, limit) * 1.05 || 1] } },
        series: [{ label: box.dataset.time, value: (u, v) => v == null ? '—' : hour.format(new Date(v * 1000)) },
          { label: box.dataset[r.words + 'Unit'], stroke: r.color, fill: r.color + '22', value: (u, v) => v == null ? '—' : v.toFixed(3) },
          { label: box.dataset.limit, stroke: '#9ca3af', dash: [6, 4], value: (u, v) => v == null ? '—' : v.toFixed(2) }],
        axes: [{ values: (u, splits) => splits.map(s => tick.format(new Date(s * 1000))) }, { size: 50 }],
      }, [data.hours, data[r.key], data.hours.map(() => limit)], holder);
    }
  }
  async function load(box, window) {
    for (const b of box.querySelectorAll('button[data-window]')) b.classList.toggle('primary', b.dataset.window === window);
    try {
      const r = await fetch(box.dataset.chart + '?window=' + window,
        { headers: { Accept: 'application/json', 'X-Requested-With': 'JavaScript' } });
      if (r.status === 499) { location.reload(); return; }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      draw(box, await r.json(), window);
      box.dataset.loaded = window;
    } catch (e) {
      box.querySelector('.chart-empty').hidden = false;
      box.querySelector('.chart-empty').textContent = box.dataset.failed + ' ' + e.message;
    }
  }
  for (const box of document.querySelectorAll('[data-chart]')) {
    box.addEventListener('click', e => { if (e.target.dataset.window) load(box, e.target.dataset.window); });
    load(box, '24h');
  }
})();
