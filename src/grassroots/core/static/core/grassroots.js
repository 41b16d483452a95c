// Grassroots: the little behaviour pages need beyond htmx. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", () => {
  // On a phone a table is shown as cards: each cell names its column (data-label), taken from
  // the table's header when the template did not set it.
  document.querySelectorAll(".table-wrap table").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.children).forEach((cell, i) => {
        if (!cell.hasAttribute("data-label") && headers[i] && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", headers[i]);
        }
      });
    });
  });
  // Filters submit when a select changes, so a phone user needs one tap less.
  document.querySelectorAll("form[data-autosubmit] select").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // Buttons that ask before doing something that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});

// The picker (core/picker.py): a click on an offered object puts its code in the field.
document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-pick]");
  if (!choice) return;
  const picker = choice.closest(".picker");
  const input = picker.querySelector("[data-picker]");
  if (input.tagName === "TEXTAREA") {
    // Several codes: the words searched (after the last separator) become the chosen code.
    const kept = input.value.split(/[,;\n]/).slice(0, -1).map((c) => c.trim()).filter(Boolean);
    kept.push(choice.dataset.pick);
    input.value = kept.join(", ") + ", ";
  } else {
    input.value = choice.dataset.pick;
  }
  picker.querySelector(".picker-results").replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.focus();
});
document.addEventListener("htmx:afterSwap", (event) => {
  const results = event.detail.target;
  if (!results.classList || !results.classList.contains("picker-results")) return;
  const input = results.closest(".picker").querySelector("[data-picker]");
  input.setAttribute("aria-expanded", results.querySelector("[data-pick]") ? "true" : "false");
});
document.addEventListener("keydown", (event) => {
  // Escape closes the list; arrow down moves from the field into it.
  const picker = event.target.closest && event.target.closest(".picker");
  if (!picker) return;
  const results = picker.querySelector(".picker-results");
  if (event.key === "Escape") {
    results.replaceChildren();
  } else if (event.key === "ArrowDown" && event.target.matches("[data-picker]")) {
    const first = results.querySelector("[data-pick]");
    if (first) { event.preventDefault(); first.focus(); }
  }
});
// Print buttons (generic list pages' printable view).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
