// Mina utlägg: show the photo the phone just took before it is sent (issue 10). A data: URL, as the
// Content-Security-Policy allows images from 'self' and data: only.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.receiptInput) return;
  const preview = input.form && input.form.querySelector("[data-receipt-preview]");
  const file = input.files && input.files[0];
  if (!preview) return;
  if (!file || !file.type.startsWith("image/")) {
    preview.hidden = true;
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    preview.src = reader.result;
    preview.hidden = false;
  };
  reader.readAsDataURL(file);
});
