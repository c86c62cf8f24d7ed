// Guanjia page behaviour: F2/F3 like 网店管家, row selection for batch forms, the scan page's focus and sounds,
// and a place for htmx error banners. Everything works without it, only slower to use.
(function () {
  'use strict';

  // ---- keyboard shortcuts (F2 review, F3 print) ----------------------------------------------
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'F2' && e.key !== 'F3') return;
    var link = document.querySelector('a[data-shortcut="' + e.key + '"]');
    if (!link) return;
    e.preventDefault();
    window.location.href = link.getAttribute('href');
  });

  // ---- "back" on error pages: the previous page when there is one, otherwise the link's own target (home) ----
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a[data-history-back]');
    if (!link || window.history.length < 2) return;
    e.preventDefault();
    window.history.back();
  });

  // ---- htmx: every response is swapped (pages answer errors with useful HTML), except a bare error banner,
  // which goes to the flash area so a failed request never blanks the list it came from.
  document.addEventListener('htmx:beforeSwap', function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status >= 400 && /data-error-banner/.test(xhr.responseText || '')) {
      var flash = document.getElementById('flash');
      if (flash) flash.innerHTML = xhr.responseText;
      e.detail.shouldSwap = false;
      return;
    }
    if (xhr.status >= 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener('htmx:sendError', function () {
    var flash = document.getElementById('flash');
    if (flash) flash.innerHTML = '<div class="banner banner-error" role="alert">网络错误，请检查连接后重试 / Network error, please retry</div>';
  });
  document.addEventListener('htmx:beforeRequest', function () {
    var flash = document.getElementById('flash');
    if (flash) flash.innerHTML = '';
  });

  // ---- batch selection ----------------------------------------------------------------------
  function refreshSelection(form) {
    var boxes = form.querySelectorAll('input[data-row-check]');
    var checked = 0;
    boxes.forEach(function (b) {
      if (b.checked) checked++;
      var tr = b.closest('tr');
      if (tr) tr.classList.toggle('is-selected', b.checked);
    });
    var all = form.querySelector('input[data-all-matching]');
    var page = form.querySelector('input[data-select-page]');
    if (page) page.checked = boxes.length > 0 && checked === boxes.length;
    var label = form.querySelector('[data-selected-count]');
    if (label) {
      var zh = document.documentElement.lang !== 'en';
      if (all && all.checked) label.textContent = all.parentNode.textContent.trim();
      else if (checked) label.textContent = zh ? '已选 ' + checked + ' 单' : checked + ' selected';
      else label.textContent = zh ? '未选择' : 'None selected';
      label.classList.toggle('has-selection', checked > 0 || !!(all && all.checked));
    }
  }
  document.addEventListener('change', function (e) {
    var t = e.target;
    var form = t.closest && t.closest('form[data-batch-form]');
    if (!form) return;
    if (t.matches('input[data-select-page]')) {
      form.querySelectorAll('input[data-row-check]').forEach(function (b) { b.checked = t.checked; });
    }
    if (t.matches('input[data-all-matching]') && t.checked) {
      form.querySelectorAll('input[data-row-check]').forEach(function (b) { b.checked = true; });
    }
    if (t.matches('input[data-row-check]') && !t.checked) {
      var all = form.querySelector('input[data-all-matching]');
      if (all) all.checked = false;
    }
    refreshSelection(form);
  });
  // Shift-click selects a range, as in the desktop program.
  var lastBox = null;
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t.matches || !t.matches('input[data-row-check]')) return;
    if (e.shiftKey && lastBox && lastBox !== t) {
      var boxes = Array.prototype.slice.call(t.form.querySelectorAll('input[data-row-check]'));
      var a = boxes.indexOf(lastBox), b = boxes.indexOf(t);
      if (a >= 0 && b >= 0) boxes.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { x.checked = t.checked; });
      refreshSelection(t.form);
    }
    lastBox = t;
  });

  // ---- confirmations and print runs ---------------------------------------------------------
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('[data-confirm]');
    if (btn && !window.confirm(btn.getAttribute('data-confirm'))) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter;
    if (form.matches('[data-print-form]') && submitter && submitter.hasAttribute('data-print')) {
      // The PDF opens in a new tab; the list here is reloaded when the user comes back to it.
      // Disabled only after the browser has read the form: a disabled submitter is left out, and with it `kinds`.
      setTimeout(function () { form.querySelectorAll('button[data-print]').forEach(function (b) { b.disabled = true; }); }, 0);
      setTimeout(function () { form.querySelectorAll('button[data-print]').forEach(function (b) { b.disabled = false; }); }, 4000);
      window.addEventListener('focus', function once() {
        window.removeEventListener('focus', once);
        setTimeout(function () { window.location.reload(); }, 300);
      });
    }
    if (form.matches('[data-busy-text]') && submitter) {
      submitter.textContent = form.getAttribute('data-busy-text');
      setTimeout(function () { submitter.disabled = true; }, 0);
    }
  });

  // ---- scan check: keep the cursor in the scan field, beep on every verdict ------------------
  var audio = null;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var now = audio.currentTime;
      var tones = ok ? [[1320, 0, 0.08]] : [[220, 0, 0.18], [180, 0.22, 0.35]];
      tones.forEach(function (tone) {
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = ok ? 'sine' : 'square';
        osc.frequency.value = tone[0];
        gain.gain.setValueAtTime(ok ? 0.15 : 0.25, now + tone[1]);
        gain.gain.exponentialRampToValueAtTime(0.0001, now + tone[2]);
        osc.connect(gain).connect(audio.destination);
        osc.start(now + tone[1]);
        osc.stop(now + tone[2] + 0.02);
      });
    } catch (_err) { /* no audio device: the banner still says it */ }
  }
  function focusScan() {
    var input = document.getElementById('scan-input');
    if (input) { input.focus(); input.select(); }
  }
  function afterScan(panel) {
    if (!panel) return;
    var kind = panel.getAttribute('data-banner');
    if (kind === 'error') beep(false);
    else if (kind === 'ok') beep(true);
    focusScan();
  }
  document.addEventListener('htmx:afterSwap', function () {
    afterScan(document.getElementById('scan-panel'));
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var reset = document.querySelector('[data-scan-reset]');
    if (reset) { e.preventDefault(); window.location.href = reset.getAttribute('href'); }
  });
  document.addEventListener('DOMContentLoaded', function () {
    var panel = document.getElementById('scan-panel');
    if (panel) afterScan(panel);
    document.querySelectorAll('form[data-batch-form]').forEach(refreshSelection);
  });
  // A scanner types fast; clicking elsewhere on the scan page must not swallow the next scan.
  document.addEventListener('click', function (e) {
    if (!document.getElementById('scan-panel')) return;
    if (e.target.closest('input, select, button, a, textarea')) return;
    focusScan();
  });
  document.addEventListener('htmx:afterSwap', function () {
    document.querySelectorAll('form[data-batch-form]').forEach(refreshSelection);
  });
})();
