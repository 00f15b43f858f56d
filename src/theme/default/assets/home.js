// The home page's carousel (图片新闻) and tabs (要闻 / 通知公告 / 部门动态). Both blocks are plain
// lists and sections without this file; it only adds the behaviour, following the WAI-ARIA
// Authoring Practices' carousel and tabs patterns.
(function () {
  'use strict';

  var INTERVAL = 5000;

  function button(text, className, label) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    if (label) b.setAttribute('aria-label', label);
    return b;
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  }

  // 图片新闻: one picture at a time, turning every 5 s until the reader pauses it (the button is
  // always there), and standing still while the pointer or focus is in it. Readers who ask the
  // system for less motion get it paused from the start.
  function carousel(list) {
    var section = list.closest('section');
    var slides = list.querySelectorAll('.slide');
    if (!section || slides.length < 2) return;
    var total = slides.length;
    var current = 0;
    var playing = !reducedMotion();
    var hovered = false;
    var focused = false;
    var timer = null;

    section.classList.add('is-carousel');
    section.setAttribute('aria-roledescription', '轮播');
    list.id = list.id || section.id + '-slides';
    // The slides stay the list's items (a list's children must be), named "n / total".
    for (var i = 0; i < total; i++) {
      slides[i].setAttribute('aria-roledescription', '幻灯片');
      slides[i].setAttribute('aria-label', (i + 1) + ' / ' + total);
    }

    var controls = document.createElement('div');
    controls.className = 'carousel-controls';
    var toggle = button('', 'carousel-toggle');
    toggle.setAttribute('aria-controls', list.id);
    var previous = button('上一张', 'carousel-previous');
    previous.setAttribute('aria-controls', list.id);
    var next = button('下一张', 'carousel-next');
    next.setAttribute('aria-controls', list.id);
    var dots = document.createElement('ul');
    dots.className = 'carousel-dots';
    var dotButtons = [];
    for (var d = 0; d < total; d++) {
      var title = slides[d].querySelector('img');
      var dot = button(String(d + 1), 'carousel-dot', '第' + (d + 1) + '张：' + (title ? title.getAttribute('alt') : ''));
      dot.setAttribute('data-index', String(d));
      dotButtons.push(dot);
      var item = document.createElement('li');
      item.appendChild(dot);
      dots.appendChild(item);
    }
    controls.appendChild(toggle);
    controls.appendChild(previous);
    controls.appendChild(dots);
    controls.appendChild(next);
    list.parentNode.insertBefore(controls, list.nextSibling);

    function show(index) {
      current = (index + total) % total;
      for (var s = 0; s < total; s++) {
        slides[s].hidden = s !== current;
        if (s === current) dotButtons[s].setAttribute('aria-current', 'true');
        else dotButtons[s].removeAttribute('aria-current');
      }
    }

    function moving() {
      return playing && !hovered && !focused;
    }

    function schedule() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
      // While it turns by itself, a screen reader is not told of every turn; once still, it is.
      list.setAttribute('aria-live', moving() ? 'off' : 'polite');
      if (moving()) timer = window.setInterval(function () { show(current + 1); }, INTERVAL);
    }

    function setPlaying(on) {
      playing = on;
      toggle.textContent = on ? '暂停' : '播放';
      toggle.setAttribute('aria-label', on ? '暂停图片轮播' : '播放图片轮播');
      schedule();
    }

    toggle.addEventListener('click', function () { setPlaying(!playing); });
    previous.addEventListener('click', function () { show(current - 1); });
    next.addEventListener('click', function () { show(current + 1); });
    dots.addEventListener('click', function (event) {
      var target = event.target.closest('[data-index]');
      if (target) show(Number(target.getAttribute('data-index')));
    });
    section.addEventListener('mouseenter', function () { hovered = true; schedule(); });
    section.addEventListener('mouseleave', function () { hovered = false; schedule(); });
    section.addEventListener('focusin', function () { focused = true; schedule(); });
    section.addEventListener('focusout', function (event) {
      if (event.relatedTarget && section.contains(event.relatedTarget)) return;
      focused = false;
      schedule();
    });

    show(0);
    setPlaying(playing);
  }

  // Tabs: the sections' headings become tab buttons in a tablist; one panel shows at a time.
  // Arrow keys move between tabs (and show them), Home and End go to the first and last, and
  // only the selected tab is in the tab order (roving tabindex).
  function tabs(container) {
    var section = container.closest('section');
    var panels = [];
    for (var c = 0; c < container.children.length; c++)
      if (container.children[c].classList.contains('tab-panel')) panels.push(container.children[c]);
    if (!section || panels.length < 2) return;
    var heading = section.querySelector('h2');
    var list = document.createElement('div');
    list.className = 'tablist';
    list.setAttribute('role', 'tablist');
    if (heading && heading.id) list.setAttribute('aria-labelledby', heading.id);
    var buttons = [];
    for (var i = 0; i < panels.length; i++) {
      var title = panels[i].querySelector('.tab-title');
      var tab = button(title ? title.textContent : String(i + 1), 'tab');
      tab.id = panels[i].id + '-tab';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', panels[i].id);
      tab.setAttribute('data-index', String(i));
      buttons.push(tab);
      list.appendChild(tab);
      panels[i].setAttribute('role', 'tabpanel');
      panels[i].setAttribute('aria-labelledby', tab.id);
    }
    container.parentNode.insertBefore(list, container);
    section.classList.add('js-tabs');

    function select(index, focus) {
      for (var t = 0; t < buttons.length; t++) {
        var on = t === index;
        buttons[t].setAttribute('aria-selected', String(on));
        buttons[t].tabIndex = on ? 0 : -1;
        panels[t].hidden = !on;
      }
      if (focus) buttons[index].focus();
    }

    list.addEventListener('click', function (event) {
      var target = event.target.closest('[role="tab"]');
      if (target) select(Number(target.getAttribute('data-index')), false);
    });
    list.addEventListener('keydown', function (event) {
      var target = event.target.closest('[role="tab"]');
      if (!target) return;
      var index = Number(target.getAttribute('data-index'));
      var last = buttons.length - 1;
      var to = null;
      if (event.key === 'ArrowRight') to = index === last ? 0 : index + 1;
      else if (event.key === 'ArrowLeft') to = index === 0 ? last : index - 1;
      else if (event.key === 'Home') to = 0;
      else if (event.key === 'End') to = last;
      if (to === null) return;
      event.preventDefault();
      select(to, true);
    });
    select(0, false);
  }

  var carousels = document.querySelectorAll('[data-carousel]');
  for (var i = 0; i < carousels.length; i++) carousel(carousels[i]);
  var tabSets = document.querySelectorAll('[data-tabs]');
  for (var j = 0; j < tabSets.length; j++) tabs(tabSets[j]);
})();
