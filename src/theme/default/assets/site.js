// Small page tools; everything works without this file, these are conveniences.
(function () {
  'use strict';
  var root = document.documentElement;

  function remembered(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function remember(key, value) {
    try {
      if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value);
    } catch (e) { /* private mode: not remembered, the switch still works on this page */ }
  }

  // 字号 大/中/小 on article pages.
  var SIZE_KEY = 'gazette.fontSize';
  var body = document.getElementById('article-body');
  var sizeButtons = document.querySelectorAll('[data-font-size]');

  function applySize(size) {
    if (!body) return;
    body.classList.remove('size-large', 'size-small');
    if (size === 'large' || size === 'small') body.classList.add('size-' + size);
    for (var i = 0; i < sizeButtons.length; i++) {
      sizeButtons[i].setAttribute('aria-pressed', String(sizeButtons[i].getAttribute('data-font-size') === size));
    }
  }

  applySize(remembered(SIZE_KEY) || 'medium');
  for (var i = 0; i < sizeButtons.length; i++) {
    sizeButtons[i].addEventListener('click', function (event) {
      var size = event.currentTarget.getAttribute('data-font-size');
      applySize(size);
      remember(SIZE_KEY, size);
    });
  }

  // Reader modes: a class on <html> (set before the first paint by the head script from the same
  // keys) and a toggle button with aria-pressed. Remembered for every page of the site.
  var MODES = { elder: 'gazette.elder', 'read-aloud': 'gazette.readAloud' };
  var status = document.querySelector('.reader-status');

  function say(message) {
    if (status) status.textContent = message;
  }

  function setMode(name, on) {
    root.classList.toggle(name, on);
    var button = document.querySelector('[data-mode="' + name + '"]');
    if (button) button.setAttribute('aria-pressed', String(on));
  }

  // 语音朗读 with the browser's speech synthesis (zh-CN voice when there is one).
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var canSpeak = !!(synth && Utterance);
  var MAX_CHUNK = 160;

  /** Sentence-sized pieces: long utterances are cut off by some engines. */
  function chunks(text) {
    var pieces = text.match(/[^。！？；!?;\n]+[。！？；!?;]*|\n+/g) || [];
    var out = [];
    var current = '';
    for (var i = 0; i < pieces.length; i++) {
      var piece = pieces[i].trim();
      while (piece.length > MAX_CHUNK) {
        if (current) { out.push(current); current = ''; }
        out.push(piece.slice(0, MAX_CHUNK));
        piece = piece.slice(MAX_CHUNK);
      }
      if (!piece) continue;
      if (current && (current + piece).length > MAX_CHUNK) { out.push(current); current = ''; }
      // Chinese sentences join as they are; a space only between two Latin words.
      current += (/\w$/.test(current) && /^\w/.test(piece) ? ' ' : '') + piece;
    }
    if (current) out.push(current);
    return out;
  }

  function chineseVoice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i++) if (voices[i].lang === 'zh-CN') return voices[i];
    for (var j = 0; j < voices.length; j++) if (/^zh/i.test(voices[j].lang)) return voices[j];
    return null;
  }

  // While the whole page is being read, pointing at things does not interrupt it.
  var readingAll = false;

  function speak(text, whole) {
    synth.cancel();
    readingAll = !!whole;
    var voice = chineseVoice();
    var parts = chunks(text);
    for (var i = 0; i < parts.length; i++) {
      var utterance = new Utterance(parts[i]);
      utterance.lang = 'zh-CN';
      if (voice) utterance.voice = voice;
      if (root.classList.contains('elder')) utterance.rate = 0.85;
      if (i === parts.length - 1) utterance.onend = function () { readingAll = false; };
      synth.speak(utterance);
    }
  }

  /** The selected text if any, else the article (title and body), else the page's main content. */
  function textToRead() {
    var selected = window.getSelection ? String(window.getSelection()).trim() : '';
    if (selected) return selected;
    var title = document.querySelector('.article-title');
    if (title && body) return title.innerText + '\n' + body.innerText;
    var main = document.getElementById('main');
    return main ? main.innerText : document.body.innerText;
  }

  // 指读: with 语音朗读 on, what the reader points at or tabs to is read (links, buttons, headings,
  // paragraphs, list items), after a short rest so that sweeping the mouse does not chatter.
  var POINTABLE = 'a, button, h1, h2, h3, p, li, td, th, label';
  var pointTimer = null;
  var pointed = null;

  function pointAt(element) {
    if (!root.classList.contains('read-aloud') || !canSpeak || readingAll) return;
    var target = element && element.closest ? element.closest(POINTABLE) : null;
    if (!target || target === pointed || target.closest('.reader-tools')) return;
    pointed = target;
    clearTimeout(pointTimer);
    pointTimer = setTimeout(function () {
      var text = (target.getAttribute('aria-label') || target.innerText || '').trim();
      if (text) speak(text);
    }, 350);
  }

  function stopSpeaking() {
    clearTimeout(pointTimer);
    pointed = null;
    readingAll = false;
    if (canSpeak) synth.cancel();
  }

  function toggleMode(name) {
    var on = !root.classList.contains(name);
    setMode(name, on);
    remember(MODES[name], on ? '1' : null);
    if (name === 'read-aloud') {
      if (!on) stopSpeaking();
      say(on ? '语音朗读已开启：按“朗读全文”朗读本页，指向或用 Tab 键选中的内容也会读出。' : '语音朗读已关闭。');
    } else {
      say(on ? '长者模式已开启。' : '长者模式已关闭。');
    }
  }

  setMode('elder', root.classList.contains('elder'));
  setMode('read-aloud', canSpeak && root.classList.contains('read-aloud'));
  if (!canSpeak) {
    // No speech synthesis here: the buttons stay (the reader learns why) but do nothing else.
    var speechButtons = document.querySelectorAll('[data-mode="read-aloud"], [data-speech]');
    for (var k = 0; k < speechButtons.length; k++) speechButtons[k].setAttribute('aria-disabled', 'true');
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest && event.target.closest('[data-action], [data-mode], [data-speech]');
    if (!target) return;
    var mode = target.getAttribute('data-mode');
    var speech = target.getAttribute('data-speech');
    var action = target.getAttribute('data-action');
    if ((mode === 'read-aloud' || speech) && !canSpeak) return say('当前浏览器不支持语音朗读，请换用新版浏览器或使用读屏软件。');
    if (mode) return toggleMode(mode);
    if (speech === 'read') return speak(textToRead(), true);
    if (speech === 'stop') return stopSpeaking();
    if (action === 'print') window.print();
    if (action === 'close') {
      window.close();
      // Browsers only close windows a script opened; otherwise go back, else home.
      if (history.length > 1) history.back(); else location.href = '/';
    }
  });

  document.addEventListener('focusin', function (event) { pointAt(event.target); });
  document.addEventListener('mouseover', function (event) { pointAt(event.target); });
  window.addEventListener('pagehide', stopSpeaking);
})();

// 信箱: the letter form's proof of work (ALTCHA format). Solved in the background once the page
// is open; when it is, the text question (the check that works without JavaScript) is no longer
// needed and is hidden. Where the browser cannot (no Web Crypto off HTTPS), the question stays.
(function () {
  'use strict';
  var form = document.querySelector('form[data-pow]');
  if (!form || !window.crypto || !window.crypto.subtle || !window.fetch || !window.TextEncoder) return;
  var field = form.querySelector('input[name="altcha"]');
  var status = form.querySelector('[data-pow-status]');
  var question = form.querySelector('[data-challenge]');
  var encoder = new TextEncoder();

  function hex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }

  // A thousand hashes at a time: Web Crypto is asynchronous, one by one would crawl.
  function solve(challenge, from) {
    if (from > challenge.maxnumber) return Promise.reject(new Error('unsolved'));
    var batch = [];
    for (var n = from; n <= Math.min(challenge.maxnumber, from + 999); n++)
      batch.push(window.crypto.subtle.digest('SHA-256', encoder.encode(challenge.salt + n)));
    return Promise.all(batch).then(function (digests) {
      for (var i = 0; i < digests.length; i++) if (hex(digests[i]) === challenge.challenge) return from + i;
      return solve(challenge, from + 1000);
    });
  }

  fetch(form.getAttribute('data-pow'), { credentials: 'same-origin' })
    .then(function (response) { return response.json(); })
    .then(function (challenge) {
      return solve(challenge, 0).then(function (number) {
        field.value = btoa(JSON.stringify({
          algorithm: challenge.algorithm,
          challenge: challenge.challenge,
          number: number,
          salt: challenge.salt,
          signature: challenge.signature,
        }));
        if (question) {
          question.hidden = true;
          var answer = question.querySelector('input[name="challengeAnswer"]');
          if (answer) answer.required = false;
        }
        if (status) status.textContent = '已完成自动验证，可以提交。';
      });
    })
    .catch(function () { /* the question stays: it works without the proof of work */ });
})();

// 依申请公开: the request form's two variants. Without JavaScript both show (each labelled for
// whom it is); with it, the fields of the other variant are hidden as the applicant class changes.
(function () {
  'use strict';
  var form = document.querySelector('form[data-applicant-form]');
  if (!form) return;
  var select = form.querySelector('[data-applicant-class]');
  var parts = form.querySelectorAll('[data-variant]');
  function show() {
    var variant = select.value === 'natural' ? 'natural' : 'organization';
    for (var i = 0; i < parts.length; i++) parts[i].hidden = parts[i].getAttribute('data-variant') !== variant;
  }
  select.addEventListener('change', show);
  show();
})();
