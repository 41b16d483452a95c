// Grassroots: the little behaviour pages need beyond htmx. No inline scripts (CSP).
document.addEventListener("DOMContentLoaded", () => {
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
