// The new-assessment page: where scripts run, choosing the country shows its areas at once
// below the choice (the page's own answer for that country, fetched), without the "Show its
// areas" step or leaving the page; the focus stays on the country. Without scripts the button
// does it. Written for riskatlas; no framework.
(function () {
  "use strict";

  const picker = document.querySelector("form[data-country-picker]");
  const here = document.querySelector("[data-areas-here]");
  const status = document.querySelector("[data-areas-status]");
  if (!picker || !here) return;
  const select = picker.querySelector("select[name=country]");
  let timer = null;
  let asked = 0;

  function show() {
    const country = select.value;
    if (!country) {
      here.replaceChildren();
      return;
    }
    const ask = ++asked;
    const url = picker.getAttribute("action") || window.location.pathname;
    fetch(url + "?country=" + encodeURIComponent(country), { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : ""))
      .then((text) => {
        if (ask !== asked || !text) return; // a later choice has been made meanwhile
        const page = new DOMParser().parseFromString(text, "text/html");
        const draft = page.querySelector("[data-new-draft]");
        if (!draft) return;
        here.replaceChildren(document.importNode(draft, true));
        const name = select.options[select.selectedIndex].text;
        if (status) status.textContent = name + ": its areas are shown below.";
      })
      .catch(() => {});
  }

  select.addEventListener("change", () => {
    // Typing a name moves through the list: wait until it settles.
    clearTimeout(timer);
    timer = setTimeout(show, 300);
  });
  const button = picker.querySelector("[data-show-areas]");
  if (button) button.hidden = true;
})();
