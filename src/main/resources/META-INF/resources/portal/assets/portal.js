// Modelyard portal behaviour. Loaded as a file (the Content-Security-Policy allows no inline script); pages
// describe what they need with data-* attributes and this file wires it up.
(function () {
  'use strict';

  function csrfToken() {
    var headers = document.body.getAttribute('hx-headers');
    try { return headers ? JSON.parse(headers)['X-CSRF-Token'] : null; } catch (e) { return null; }
  }

  function errorBoxFor(element) {
    var form = element && element.closest ? element.closest('form, [data-errors-here]') : null;
    var box = form ? form.querySelector('.form-errors') : null;
    return box || document.getElementById('flash');
  }

  // --- htmx: problems go beside the form that caused them; an ended session sends the person to sign in.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var box = errorBoxFor(event.detail.elt);
    if (box && box.id !== 'flash') { box.innerHTML = ''; }
  });
  document.addEventListener('htmx:beforeSwap', function (event) {
    var status = event.detail.xhr.status;
    if (status === 499 || status === 401) {
      event.detail.shouldSwap = false;
      window.location.reload();
      return;
    }
    if (status >= 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      event.detail.target = errorBoxFor(event.detail.elt);
      event.detail.swapOverride = 'innerHTML';
    }
  });
  document.addEventListener('htmx:sendError', function (event) {
    var box = errorBoxFor(event.detail.elt);
    box.textContent = 'Modelyard could not be reached. Check your connection and try again.';
  });

  // --- Charts: <canvas data-chart='{"type":..,"labels":[..],"datasets":[..],"y":..}'>
  var charts = new WeakMap();
  var palette = ['#2456d6', '#e8710a', '#1a7f37', '#c62828', '#8e44ad', '#00838f', '#9a6700', '#5d6b7a'];

  function chartFor(canvas) {
    if (charts.has(canvas)) { return charts.get(canvas); }
    if (!window.Chart) { return null; }
    var spec = JSON.parse(canvas.getAttribute('data-chart'));
    var datasets = (spec.datasets || []).map(function (d, i) {
      return Object.assign({ borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
        borderWidth: 2, pointRadius: spec.type === 'line' ? 2 : 0, tension: 0.15 }, d);
    });
    var scales = { x: { title: { display: !!spec.xTitle, text: spec.xTitle || '' }, stacked: !!spec.stacked },
                   y: { beginAtZero: spec.type === 'bar', title: { display: !!spec.yTitle, text: spec.yTitle || '' }, stacked: !!spec.stacked } };
    if (spec.y2) { scales.y2 = { position: 'right', grid: { drawOnChartArea: false }, min: 0, max: 1, title: { display: true, text: spec.y2 } }; }
    var chart = new window.Chart(canvas, {
      type: spec.type || 'line',
      data: { labels: spec.labels || [], datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: spec.horizontal ? 'y' : 'x',
        plugins: { legend: { display: datasets.length > 1 } }, scales: scales }
    });
    charts.set(canvas, chart);
    canvas.setAttribute('data-points', String(countPoints(chart)));
    return chart;
  }

  function countPoints(chart) {
    return chart.data.datasets.reduce(function (n, d) { return n + d.data.filter(function (v) { return v !== null; }).length; }, 0);
  }

  function initCharts(root) {
    (root || document).querySelectorAll('canvas[data-chart]').forEach(chartFor);
  }

  // --- Copy buttons: <button data-copy="element-id">
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) { return; }
    var text = source.textContent.trim();
    var done = function () { button.textContent = 'Copied'; button.setAttribute('aria-label', 'Copied to the clipboard'); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else { selectText(source); done(); }
  });

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // --- Uploads with a progress bar: <form data-upload="url"> with a file input named "file"; the other named
  // fields become the upload's JSON options part. The file streams as it is read; nothing holds it whole.
  document.addEventListener('submit', function (event) {
    var form = event.target.closest('form[data-upload]');
    if (!form) { return; }
    event.preventDefault();
    var file = form.querySelector('input[type=file]').files[0];
    var box = errorBoxFor(form);
    box.innerHTML = '';
    if (!file) { box.textContent = 'Choose a file to upload.'; return; }
    var options = {};
    new FormData(form).forEach(function (value, key) {
      if (key === 'file' || value === '') { return; }
      var path = key.split('.');
      var target = options;
      for (var i = 0; i < path.length - 1; i++) { target = target[path[i]] = target[path[i]] || {}; }
      target[path[path.length - 1]] = value === 'on' ? true : value;
    });
    var body = new FormData();
    body.append('options', new Blob([JSON.stringify(options)], { type: 'application/json' }));
    body.append('file', file, file.name);
    var progress = form.querySelector('.upload-progress');
    var bar = progress.querySelector('progress');
    var label = progress.querySelector('.upload-status');
    var button = form.querySelector('button[type=submit]');
    progress.hidden = false;
    button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('data-upload'));
    xhr.setRequestHeader('X-CSRF-Token', csrfToken());
    xhr.setRequestHeader('HX-Request', 'true');
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) { return; }
      bar.max = e.total; bar.value = e.loaded;
      label.textContent = e.loaded < e.total ? 'Uploading: ' + Math.floor(100 * e.loaded / e.total) + '%'
        : form.getAttribute('data-upload-done') || 'Uploaded; validating, cleaning and profiling…';
    });
    xhr.addEventListener('load', function () {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.getResponseHeader('HX-Redirect')) {
        label.textContent = 'Done.';
        window.location.assign(xhr.getResponseHeader('HX-Redirect'));
        return;
      }
      if (xhr.status === 499 || xhr.status === 401) { window.location.reload(); return; }
      progress.hidden = true; button.disabled = false;
      box.innerHTML = xhr.responseText || 'The upload failed (HTTP ' + xhr.status + ').';
    });
    xhr.addEventListener('error', function () {
      progress.hidden = true; button.disabled = false;
      box.textContent = 'The upload was interrupted before it finished; nothing was kept. Try again.';
    });
    xhr.send(body);
  });

  // --- Live jobs: <section data-job-stream="url"> follows the job's Server-Sent Events and updates the
  // progress bar, the state, the message list and the loss / F1 charts as each epoch ends.
  function followJob(section) {
    var url = section.getAttribute('data-job-stream');
    if (!url || section.getAttribute('data-following')) { return; }
    section.setAttribute('data-following', 'true');
    var source = new EventSource(url);
    var seen = {};
    source.onmessage = function (message) {
      if (seen[message.lastEventId]) { return; }
      seen[message.lastEventId] = true;
      var event = JSON.parse(message.data);
      var data = event.data || {};
      if (event.type === 'metric' && data.epoch !== undefined) {
        section.querySelectorAll('canvas[data-series]').forEach(function (canvas) {
          var chart = chartFor(canvas);
          if (!chart) { return; }
          var keys = canvas.getAttribute('data-series').split(',');
          var label = String(data.epoch);
          if (chart.data.labels.indexOf(label) >= 0) { return; }
          chart.data.labels.push(label);
          keys.forEach(function (key, i) {
            var v = data[key];
            chart.data.datasets[i].data.push(v === undefined || v === null ? null : v);
          });
          chart.update();
          canvas.setAttribute('data-points', String(countPoints(chart)));
        });
      } else if (event.type === 'progress') {
        var bar = section.querySelector('progress.job-progress');
        if (bar && data.percent !== undefined) { bar.value = data.percent; }
        setText(section, '.job-percent', data.percent !== undefined ? Math.round(data.percent) + '%' : null);
        setText(section, '.job-eta', data.estimated_finish_at ? 'about ' + until(data.estimated_finish_at) + ' left' : null);
      } else if (event.type === 'state') {
        var state = section.querySelector('.job-state');
        if (state) { state.textContent = data.to; state.className = 'badge job-state ' + data.to; }
        if (data.to === 'paused') {
          // A paused job's stream ends; the page offers Resume in place of Pause.
          window.setTimeout(function () { window.location.reload(); }, 300);
        }
        if (['succeeded', 'failed', 'cancelled'].indexOf(data.to) >= 0) {
          addMessage(section, 'info', 'The job ' + data.to + (data.error ? ': ' + data.error.message : '') + '.');
          section.setAttribute('data-finished', data.to);
          var bar2 = section.querySelector('progress.job-progress');
          if (bar2 && data.to === 'succeeded') { bar2.value = 100; setText(section, '.job-percent', '100%'); }
          section.querySelectorAll('[data-while-running]').forEach(function (el) { el.hidden = true; });
          section.querySelectorAll('[data-when-finished]').forEach(function (el) { el.hidden = false; });
          if (data.to === 'succeeded' && section.getAttribute('data-reload-on-success')) {
            window.setTimeout(function () { window.location.reload(); }, 600);
          }
        }
      } else if (event.type === 'message') {
        addMessage(section, event.level || 'info', data.message || '');
      }
    };
    source.onerror = function () {
      if (section.getAttribute('data-finished')) { source.close(); }
    };
  }

  function setText(root, selector, text) {
    var el = root.querySelector(selector);
    if (el && text !== null) { el.textContent = text; }
  }

  function addMessage(section, level, text) {
    var list = section.querySelector('.events');
    if (!list) { return; }
    var item = document.createElement('li');
    item.className = level;
    item.textContent = new Date().toLocaleTimeString() + ' — ' + text;
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
  }

  function until(iso) {
    var seconds = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
    return seconds < 90 ? seconds + ' s' : Math.round(seconds / 60) + ' min';
  }

  function init(root) {
    initCharts(root);
    (root || document).querySelectorAll('[data-job-stream]').forEach(followJob);
  }

  document.addEventListener('DOMContentLoaded', function () { init(document); });
  document.addEventListener('htmx:afterSettle', function (event) { init(event.detail.elt); });
})();
