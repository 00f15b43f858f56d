// Small page tools; everything works without this file, these are conveniences.
(function () {
  'use strict';
  var SIZE_KEY = 'gazette.fontSize';
  var body = document.getElementById('article-body');
  var buttons = document.querySelectorAll('[data-font-size]');

  function applySize(size) {
    if (!body) return;
    body.classList.remove('size-large', 'size-small');
    if (size === 'large' || size === 'small') body.classList.add('size-' + size);
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-font-size') === size));
    }
  }

  function remembered() {
    try { return localStorage.getItem(SIZE_KEY) || 'medium'; } catch (e) { return 'medium'; }
  }

  applySize(remembered());
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function (event) {
      var size = event.currentTarget.getAttribute('data-font-size');
      applySize(size);
      try { localStorage.setItem(SIZE_KEY, size); } catch (e) { /* private mode: not remembered */ }
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target.closest && event.target.closest('[data-action]');
    if (!target) return;
    var action = target.getAttribute('data-action');
    if (action === 'print') window.print();
    if (action === 'close') {
      window.close();
      // Browsers only close windows a script opened; otherwise go back, else home.
      if (history.length > 1) history.back(); else location.href = '/';
    }
  });
})();
