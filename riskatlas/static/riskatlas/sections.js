// The assessment page's section menu (<details class="subnav">): open on wide screens, folded
// to one line on phones, and folded again once a section is chosen there. Without this script
// the menu stays open. Written for riskatlas; no framework.
(function () {
  "use strict";
  const menu = document.querySelector(".subnav > details");
  if (!menu) return;
  const narrow = window.matchMedia("(max-width: 700px)");

  function fit() { menu.open = !narrow.matches; }

  fit();
  narrow.addEventListener("change", fit);
  menu.querySelectorAll("a").forEach((link) => {
    link.addEventListener("click", () => { if (narrow.matches) menu.open = false; });
  });
})();
