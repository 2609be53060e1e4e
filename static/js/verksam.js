// Small progressive enhancements; everything works without JavaScript.
document.addEventListener("htmx:responseError", (event) => {
  const target = document.getElementById("main");
  if (target && event.detail.xhr.status >= 500) {
    target.insertAdjacentHTML("afterbegin", '<p class="error">Något gick fel. Försök igen.</p>');
  }
});
