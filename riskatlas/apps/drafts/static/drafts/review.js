// Review page: a click on a marked stretch of the report shows its item in the list; hovering
// an item outlines its stretches of text; a bulk decision asks first.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  const text = document.getElementById("report-text");
  if (!text) return;
  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.draft");
    if (!mark) return;
    const item = document.getElementById("item-" + mark.dataset.items.split(" ")[0]);
    if (!item) return;
    item.scrollIntoView({ behavior: "smooth", block: "center" });
    item.classList.add("is-focused");
    setTimeout(() => item.classList.remove("is-focused"), 1500);
  });
  document.querySelectorAll(".draft-item").forEach((item) => {
    const id = item.id.replace("item-", "");
    const marks = () =>
      text.querySelectorAll("mark.draft").forEach((m) => {
        if (m.dataset.items.split(" ").includes(id)) m.classList.toggle("is-outlined");
      });
    item.addEventListener("mouseenter", marks);
    item.addEventListener("mouseleave", marks);
  });
});
