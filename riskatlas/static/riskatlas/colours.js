// Level colours without style attributes (the Content-Security-Policy allows none): pages
// mark an element with data-colour (its background) and data-ink (its text colour); app.css
// has rules for the bundled palette, and this paints any other colour a matrix brings.
// Content swapped in by htmx is painted too. Written for riskatlas; no framework.
(function () {
  "use strict";
  const COLOUR = /^#[0-9a-fA-F]{6}$/;

  function paint(root) {
    root.querySelectorAll("[data-colour], [data-ink]").forEach((element) => {
      const background = element.dataset.colour;
      const ink = element.dataset.ink;
      if (background && COLOUR.test(background)) element.style.backgroundColor = background;
      if (ink && COLOUR.test(ink)) element.style.color = ink;
    });
  }

  paint(document);
  document.addEventListener("htmx:load", (event) => paint(event.target.parentNode || document));
})();
