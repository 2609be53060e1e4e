// Small progressive enhancements; everything works without JavaScript.
document.addEventListener("htmx:responseError", (event) => {
  const target = document.getElementById("main");
  if (target && event.detail.xhr.status >= 500) {
    target.insertAdjacentHTML("afterbegin", '<p class="error">Något gick fel. Försök igen.</p>');
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
