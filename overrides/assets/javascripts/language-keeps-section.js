// The language selector keeps the reader's place: the section of the page
// (#anchor, which the theme's anchor tracking keeps up to date while the reader
// scrolls) goes with them, since every language has the same anchors. Set as
// the link is pressed, so that it holds for a click, a middle click, a tap,
// the keyboard and "copy link" alike.
["pointerdown", "click"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    var link = event.target.closest("a.md-select__link[hreflang]");
    if (link) link.hash = location.hash;
  }, true);
});
