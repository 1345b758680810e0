// The risk form, made quicker where the browser runs scripts (without them the labelled
// dropdowns do it all):
// - the matrix beside the form sets a rating in one click: a cell is a button that sets the
//   likelihood and impact of the rating chosen above the matrix (inherent first, then the
//   residual);
// - on a new risk the residual follows the inherent until the analyst sets it;
// - on a new risk the threat is proposed from the title (the same cues as reading reports)
//   until the analyst chooses one; the page says so beside the dropdown.
// The "Add risks" page has several such blocks, each with its own matrix: every block is
// enhanced on its own (its fields' names start with its prefix, "r0-", "r1-"…).
// Written for riskatlas; no framework. htmx redraws the matrix when a rating changes.
(function () {
  "use strict";

  const single = document.getElementById("risk-form");
  if (single) {
    riskBlock(single, single, "", single.dataset.new === "1");
  }
  const several = document.getElementById("several-risks");
  if (several) {
    several.querySelectorAll("[data-risk-block]").forEach((block) => {
      riskBlock(several, block, block.dataset.prefix || "", block.dataset.new === "1");
    });
  }

  function riskBlock(form, root, prefix, isNew) {
    const panel = root.querySelector("[data-levels]");
    const picker = root.querySelector("[data-matrix-picker]");
    if (!panel || !picker) return;
    const named = (tag, name) => root.querySelector(tag + '[name="' + prefix + name + '"]');
    const select = (name) => named("select", name);
    const sets = prefix + "matrix_sets";
    const WORDS = { inherent: "inherent", residual: "residual", current: "current" };
    let residualTouched = !isNew;

    function mode() {
      const checked = picker.querySelector('input[name="' + sets + '"]:checked');
      return checked ? checked.value : "inherent";
    }

    function setMode(which) {
      const radio = picker.querySelector('input[name="' + sets + '"][value="' + which + '"]');
      if (radio) radio.checked = true;
      label();
    }

    function place(which, likelihood, impact) {
      select(which + "_likelihood").value = likelihood;
      const last = select(which + "_impact");
      last.value = impact;
      if (which === "residual") residualTouched = true;
      if (which === "inherent") follow();
      // One change event: htmx redraws the matrix from every rating at once.
      last.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function follow() {
      // A new risk's residual is its inherent rating until the analyst sets the residual.
      if (residualTouched) return;
      select("residual_likelihood").value = select("inherent_likelihood").value;
      select("residual_impact").value = select("inherent_impact").value;
    }

    function label() {
      const which = WORDS[mode()];
      // The button's name is its visible code or marks after these words (no aria-label,
      // which would hide what is seen from what is heard).
      panel.querySelectorAll("button.cell-pick .visually-hidden").forEach((words) => {
        const button = words.parentNode;
        words.textContent = "Set the " + which + " rating to likelihood " +
          button.dataset.likelihood + ", impact " + button.dataset.impact + ", " +
          button.dataset.level + ": ";
      });
    }

    function enhance() {
      panel.querySelectorAll(".risk-matrix td[data-likelihood]").forEach((cell) => {
        if (cell.querySelector("button")) return;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "cell-pick";
        button.dataset.likelihood = cell.dataset.likelihood;
        button.dataset.impact = cell.dataset.impact;
        button.dataset.level = cell.dataset.level;
        const words = document.createElement("span");
        words.className = "visually-hidden";
        button.appendChild(words);
        while (cell.firstChild) button.appendChild(cell.firstChild);
        cell.appendChild(button);
        button.addEventListener("click", () => {
          const which = mode();
          focusAfterSwap = cell.dataset.likelihood + "-" + cell.dataset.impact;
          place(which, cell.dataset.likelihood, cell.dataset.impact);
          if (which === "inherent") setMode("residual");
        });
      });
      label();
    }

    let focusAfterSwap = null;
    panel.addEventListener("htmx:afterSwap", () => {
      enhance();
      if (focusAfterSwap) {
        const [likelihood, impact] = focusAfterSwap.split("-");
        const again = panel.querySelector(
          "button[data-likelihood='" + likelihood + "'][data-impact='" + impact + "']"
        );
        if (again) again.focus();
        focusAfterSwap = null;
      }
    });

    ["inherent_likelihood", "inherent_impact"].forEach((name) => {
      select(name).addEventListener("change", follow);
    });
    ["residual_likelihood", "residual_impact"].forEach((name) => {
      select(name).addEventListener("change", (event) => {
        if (event.isTrusted) residualTouched = true;
      });
    });
    picker.addEventListener("change", label);
    picker.hidden = false;
    const note = root.querySelector("[data-residual-follows]");
    if (note && isNew) note.hidden = false;
    enhance();

    // The threat proposed from the title, until the analyst chooses one.
    const category = select("category");
    const title = named("input", "title");
    const guessed = root.querySelector("[data-threat-guess]");
    let categoryChosen = !isNew || category.value !== "";
    category.addEventListener("change", (event) => {
      if (event.isTrusted) {
        categoryChosen = true;
        if (guessed) guessed.hidden = true;
      }
    });
    if (isNew && title && guessed && form.dataset.threatUrl) {
      title.addEventListener("change", () => {
        if (categoryChosen || !title.value.trim()) return;
        const url = form.dataset.threatUrl + "?title=" + encodeURIComponent(title.value);
        fetch(url, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : null))
          .then((found) => {
            if (!found || categoryChosen) return;
            category.value = found.category || "";
            // Not the analyst's choice (an untrusted event): the measures offered follow it.
            category.dispatchEvent(new Event("change", { bubbles: true }));
            guessed.textContent = found.category
              ? "Proposed from the title: " + found.name + ". Change it if it is not the threat."
              : "";
            guessed.hidden = !found.category;
          })
          .catch(() => {});
      });
    }

    // A new source given by a known official advice page's address: its title, publisher and
    // kind proposed where still empty (the grade is the analyst's).
    const address = named("input", "cite-url");
    const about = root.querySelector("[data-source-guess]");
    if (address && about && form.dataset.sourceUrl) {
      let pause = null;
      address.addEventListener("input", () => {
        clearTimeout(pause); // a pasted address at once, a typed one when typing stops
        pause = setTimeout(propose, 400);
      });
      function propose() {
        const field = (name) => named("", "cite-" + name);
        if (!address.value.trim() || field("source").value) return;
        const url = form.dataset.sourceUrl + "?url=" + encodeURIComponent(address.value);
        fetch(url, { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : null))
          .then((found) => {
            if (!found || !found.title) return;
            const filled = [];
            for (const [name, words] of [["title", "title"], ["author", "publisher"], ["kind", "kind"]]) {
              if (!field(name).value.trim()) {
                field(name).value = found[name];
                filled.push(words);
              }
            }
            if (!filled.length) return;
            about.textContent = "A known official advice page: its " + filled.join(", ") +
              " filled in (" + found.title + "). Grade it yourself.";
            about.hidden = false;
          })
          .catch(() => {});
      }
    }
  }
})();
