// Small progressive enhancements; everything works without JavaScript.
document.addEventListener("htmx:responseError", (event) => {
  const target = document.getElementById("main");
  if (target && event.detail.xhr.status >= 500) {
    target.insertAdjacentHTML("afterbegin", '<p class="error">Något gick fel. Försök igen.</p>');
  }
});

// Toasts (Django's messages): a close button on each; a confirmation fades after 10 s unless the
// pointer or the focus is on it. Warnings and errors stay until closed.
document.addEventListener("DOMContentLoaded", () => {
  const sv = document.documentElement.lang === "sv";
  for (const item of document.querySelectorAll(".toasts .messages li")) {
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", sv ? "Stäng" : "Close");
    close.textContent = "×";
    close.addEventListener("click", () => item.remove());
    item.append(close);
    if (!item.classList.contains("error") && !item.classList.contains("warning")) {
      setTimeout(() => {
        if (!item.matches(":hover, :focus-within")) item.classList.add("fading");
      }, 10000);
    }
  }
});

// On a phone the module navigation is one sideways-scrolling row: bring the current module into view.
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector("nav.modules");
  const current = nav && nav.querySelector("a[aria-current]");
  if (nav && current && nav.scrollWidth > nav.clientWidth) {
    nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }
});

// The installable web app: the service worker shows a Swedish offline page when there is no coverage.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  });
}

// Confirmation before a destructive action: <form data-confirm="What will happen" data-confirm-button="Ta bort">.
// Without JavaScript the form submits at once; the server-side rules stay the same either way.
document.addEventListener("submit", (event) => {
  const form = event.target;
  // a button may carry its own question (several actions in one form: attest, reject, reopen)
  const question = (event.submitter && event.submitter.dataset.confirm) || form.dataset.confirm;
  if (!(form instanceof HTMLFormElement) || !question || form.dataset.confirmed === "yes") {
    return;
  }
  // data-confirm-if-unchecked="id_is_active": ask only when that box is being unticked (deactivate)
  const guard = form.dataset.confirmIfUnchecked && document.getElementById(form.dataset.confirmIfUnchecked);
  if (form.dataset.confirmIfUnchecked && (!guard || guard.checked)) {
    return;
  }
  event.preventDefault();
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  dialog.setAttribute("data-testid", "confirm-dialog");
  const text = document.createElement("p");
  text.textContent = question;
  const actions = document.createElement("div");
  actions.className = "actions";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "secondary";
  cancel.textContent = document.documentElement.lang === "sv" ? "Avbryt" : "Cancel";
  const ok = document.createElement("button");
  ok.type = "button";
  const source = event.submitter && event.submitter.dataset.confirm ? event.submitter.dataset : form.dataset;
  ok.className = source.confirmDanger === "no" ? "" : "danger";
  ok.textContent = source.confirmButton || (document.documentElement.lang === "sv" ? "Ja, fortsätt" : "Yes, continue");
  actions.append(cancel, ok);
  dialog.append(text, actions);
  document.body.append(dialog);
  const submitter = event.submitter;
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  ok.addEventListener("click", () => {
    form.dataset.confirmed = "yes";
    dialog.close();
    form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    delete form.dataset.confirmed;
  });
  dialog.showModal();
  ok.focus();
});

// --- Time reporting (issue 12 item 1) ---------------------------------------------------------------
// After a refused "Spara" the error summary at the top takes the focus, so the phone scrolls to it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
});

// The child's personnummer only for VAB: <form data-child-types="3,7"> lists the absence types that
// need it; without JavaScript the fields simply stay visible.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-child-types]").forEach((form) => {
    const types = form.dataset.childTypes.split(",").filter(Boolean);
    const select = form.querySelector("select[name$='absence_type']");
    const fields = form.querySelector("[data-child-fields]");
    if (!select || !fields) {
      return;
    }
    const update = () => {
      fields.hidden = !types.includes(select.value);
    };
    select.addEventListener("change", update);
    update();
  });
});
